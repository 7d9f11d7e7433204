using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.WebApi.Telemetry;

/// <summary>Counts every answer of the heartbeat route by outcome (<c>workerfleet.heartbeats</c>), including the ones
/// authentication, authorization, the rate limiter or the exception handler gave before the use case ran: it runs
/// right after routing, and counts the status code once the answer has been sent.</summary>
internal sealed class HeartbeatOutcomeMeter(RequestDelegate next, FleetMetrics metrics)
{
    /// <summary>The endpoint metadata that marks the heartbeat route.</summary>
    public static readonly object Marker = new HeartbeatRoute();

    /// <summary>Whether the request is for the heartbeat route.</summary>
    public static bool IsHeartbeat(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<HeartbeatRoute>() is not null;

    public Task InvokeAsync(HttpContext context)
    {
        if (IsHeartbeat(context))
        {
            context.Response.OnCompleted(Count, context);
        }

        return next(context);
    }

    private Task Count(object state)
    {
        metrics.HeartbeatAnswered(HeartbeatOutcomes.Of(((HttpContext)state).Response.StatusCode));
        return Task.CompletedTask;
    }

    private sealed class HeartbeatRoute;
}
