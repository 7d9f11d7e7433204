using System.Globalization;
using MediatR;
using Microsoft.Extensions.Logging;
using Quartz;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Sends one lifecycle-transition command and reports what it changed to the execution history: the
/// workers it moved, or why it could not run. A storage outage is reported and the next fire tries again; the
/// scheduler itself never stops for it.</summary>
[DisallowConcurrentExecution]
internal sealed class LifecycleTransitionJob<TCommand>(IMediator mediator, ILogger<LifecycleTransitionJob<TCommand>> logger) : IJob
    where TCommand : IRequest<Result<IReadOnlyList<WorkerId>>>, new()
{
    /// <summary>The metric the execution history carries the number of moved workers under.</summary>
    private const string MovedMetric = "moved";

    /// <summary>How many ids a run's summary names; a sweep can move thousands, and the history keeps one line.</summary>
    private const int IdsInSummary = 10;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var span = FleetTracing.Source.StartActivity($"job {context.JobDetail.Key.Name}");
        logger.LogDebug("{Command} runs on instance {Instance} for the fire scheduled at {ScheduledFireTime:O}",
            typeof(TCommand).Name, context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc);
        var result = await mediator.Send(new TCommand(), cancellationToken);
        if (result.Error is { } error)
        {
            logger.LogWarning("{Command} skipped: {Error}", typeof(TCommand).Name, error.Message);
            context.Result = JobRunReport.Failed(error.Message);
            return;
        }

        var moved = result.Value;
        if (moved.Count == 0)
        {
            context.Result = JobRunReport.Skipped("No worker to move.").With(MovedMetric, 0);
            return;
        }

        logger.LogInformation("{Command} moved {Count} worker(s): {WorkerIds}", typeof(TCommand).Name, moved.Count, string.Join(", ", moved));
        context.Result = JobRunReport.Succeeded(Summarize(moved)).With(MovedMetric, moved.Count);
    }

    private static string Summarize(IReadOnlyList<WorkerId> moved)
    {
        var named = string.Join(", ", moved.Take(IdsInSummary));
        return moved.Count > IdsInSummary
            ? string.Create(CultureInfo.InvariantCulture, $"Moved {moved.Count} workers: {named} and {moved.Count - IdsInSummary} more.")
            : string.Create(CultureInfo.InvariantCulture, $"Moved {moved.Count} worker(s): {named}.");
    }
}
