using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>GET /health: 200 when every check is healthy or degraded, 503 otherwise, with each check's status
/// and nothing else (no exception text, no connection details); GET /health/live and GET /health/ready, the same for
/// the probes of an orchestrator.</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        Map(app, "/health", new HealthCheckOptions { ResponseWriter = WriteAsync });
        // For an orchestrator's probes: live is the process answering (no check runs), ready is storage answering and
        // the scheduler running; the alarms, which an operator must act on, do not take an instance out of service.
        Map(app, "/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        Map(app, "/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Infrastructure.DependencyInjection.ReadyTag),
            ResponseWriter = WriteAsync,
        });
        return app;
    }

    // Health is read with GET (or HEAD); any other method is a 405 like on every other route.
    private static void Map(IEndpointRouteBuilder app, string path, HealthCheckOptions options) =>
        app.MapHealthChecks(path, options).AllowAnonymous().WithMetadata(new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]));

    private static Task WriteAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        });
}
