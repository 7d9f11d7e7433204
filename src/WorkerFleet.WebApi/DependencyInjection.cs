using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Quartz;
using WorkerFleet.WebApi.OpenApi;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;
using WorkerFleet.WebApi.Telemetry;

namespace WorkerFleet.WebApi;

public static class DependencyInjection
{
    /// <summary>Registers the HTTP concerns: strict JSON, RFC 7807 problems for every error, keys and worker tokens,
    /// the heartbeat rate limit, the Quartz HTTP API, OpenTelemetry metrics and traces, and the two OpenAPI documents
    /// (see <see cref="ApiReference"/>).</summary>
    public static IServiceCollection AddWorkerFleetWebApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddWorkerFleetTelemetry(configuration);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.AllowDuplicateProperties = false;
            // The web defaults read "1" as the number 1; a number sent as a string is a wrong type, and a 400.
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });

        // Kestrel reads its endpoints from configuration but not its limits: the connection caps of the settings are
        // bound here, so whatever host runs the service (the process, a test host on Kestrel) holds them.
        services.Configure<KestrelServerOptions>(options => configuration.GetSection("Kestrel:Limits").Bind(options.Limits));

        // Binding failures throw so ProblemExceptionHandler answers them like every other error.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = StatusProblems.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddWorkerFleetSecurity();
        // Even an admin may only name this service's own jobs: any other IJob on the probing path is code the API
        // would otherwise let a caller schedule.
        services.AddQuartzHttpApi(options => options.IsJobTypeAllowed = Infrastructure.Scheduling.JobTypes.IsOwn);
        services.AddHealthChecks().AddCheck<Endpoints.AlarmsHealthCheck>("alarms");
        services.AddApiReference();
        return services;
    }
}
