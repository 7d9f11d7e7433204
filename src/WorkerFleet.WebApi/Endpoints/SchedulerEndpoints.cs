using Quartz;
using WorkerFleet.Infrastructure.Scheduling;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>Runs the three lifecycle transitions now, outside their schedules, and serves the Quartz HTTP API
/// (jobs, triggers, execution history, pause, resume, trigger now) that the dashboard reads and drives.</summary>
internal static class SchedulerEndpoints
{
    public const string QuartzApiPath = "/quartz-api";

    public static IEndpointRouteBuilder MapScheduler(this IEndpointRouteBuilder app)
    {
        app.MapPost("/scheduler/run", Run)
            .WithTags("Scheduler")
            .WithSummary("Run the three lifecycle transitions now")
            .WithDescription("Runs activation, stale detection and reactivation once, in that order, outside their schedules, and answers which workers each moved. Each run appears in its job's execution history as a manual run.")
            .RequireAuthorization(Security.Policies.Operate)
            .Produces<LifecycleRunResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapQuartzHttpApi(QuartzApiPath).RequireAuthorization(Security.Policies.SchedulerApi).RequireRateLimiting(Security.Policies.Streams);
        return app;
    }

    private static async Task<IResult> Run(ILifecycleRunner lifecycle, CancellationToken cancellationToken) =>
        (await lifecycle.RunNowAsync(cancellationToken)).ToHttp(report => TypedResults.Ok(LifecycleRunResponse.From(report)));
}
