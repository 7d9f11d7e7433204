using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using Quartz;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;
using WorkerFleet.WebApi.Telemetry;

namespace WorkerFleet.WebApi;

public static class DependencyInjection
{
    /// <summary>Registers the HTTP concerns: strict JSON, RFC 7807 problems for every error, keys and worker tokens,
    /// the heartbeat rate limit, the Quartz HTTP API, OpenTelemetry metrics and traces, and the OpenAPI document with its
    /// security scheme.</summary>
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

        // Binding failures throw so ProblemExceptionHandler answers them like every other error.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = StatusProblems.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddWorkerFleetSecurity();
        // Even an admin may only name this service's own jobs: any other IJob on the probing path is code the API
        // would otherwise let a caller schedule.
        services.AddQuartzHttpApi(options => options.IsJobTypeAllowed =
            jobType => jobType.StartsWith(typeof(Infrastructure.Scheduling.LifecycleJobs).Namespace + ".", StringComparison.Ordinal));
        services.AddHealthChecks().AddCheck<Endpoints.AlarmsHealthCheck>("alarms");
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[CredentialAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An admin, reader or registration key, or a worker's own token (heartbeats, unregistering itself).",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CredentialAuthenticationHandler.SchemeName, document)] = [] }];
            return Task.CompletedTask;
        }));
        return services;
    }
}
