using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi;

public static class DependencyInjection
{
    /// <summary>Registers the HTTP concerns: strict JSON, RFC 7807 problems for every error, and the OpenAPI document.</summary>
    public static IServiceCollection AddWorkerFleetWebApi(this IServiceCollection services)
    {
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
        });

        // Binding failures throw so ProblemExceptionHandler answers them like every other error.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi();
        return services;
    }
}
