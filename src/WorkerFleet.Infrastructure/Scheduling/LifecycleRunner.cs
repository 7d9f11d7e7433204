using System.Text.Json;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Extensibility;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Runs the three lifecycle jobs now, outside their schedules: activation, stale detection and
/// reactivation, in that order, stopping at the first that cannot run. Each run is recorded in the scheduler's
/// execution history as a manual run of its job, beside the runs its schedule fired, and timed like them; a host
/// without the scheduler sends <see cref="RunLifecycleChecks"/> instead, which moves the same workers and records
/// nothing.</summary>
public interface ILifecycleRunner
{
    /// <summary>Runs the three transitions once.</summary>
    /// <param name="cancellationToken">Stops the run between or inside transitions.</param>
    /// <returns>The workers each transition moved, or the error that stopped the run.</returns>
    Task<Result<LifecycleCheckReport>> RunNowAsync(CancellationToken cancellationToken);
}

internal sealed class LifecycleRunner(
    LifecycleTransition transition,
    ISchedulerFactory schedulers,
    IExecutionHistoryStore history,
    FleetMetrics metrics,
    TimeProvider time) : ILifecycleRunner
{
    /// <summary>The trigger a run asked for over HTTP is recorded under: it fired no trigger of the scheduler's.</summary>
    private const string TriggerGroup = "api";
    private const string TriggerName = "POST /scheduler/run";

    public async Task<Result<LifecycleCheckReport>> RunNowAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        // A clustered scheduler's history store is the shared database's, which takes the container's one slot.
        var recording = new Recording(scheduler.SchedulerName, scheduler.SchedulerInstanceId);

        return await LifecycleCheckReport.CollectAsync(command => RunAsync(command, recording, cancellationToken));
    }

    private async Task<Result<IReadOnlyList<WorkerId>>> RunAsync(
        IRequest<Result<IReadOnlyList<WorkerId>>> command, Recording recording, CancellationToken cancellationToken)
    {
        var job = command switch
        {
            ActivatePendingWorkers => LifecycleJobs.Activation,
            MarkStaleWorkersOffline => LifecycleJobs.StaleDetection,
            ReactivateOfflineWorkers => LifecycleJobs.Reactivation,
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not a lifecycle transition."),
        };
        using var span = FleetTracing.Source.StartActivity($"job {job.Name}");
        var firedAt = time.GetUtcNow();
        var started = time.GetTimestamp();
        var outcome = await transition.RunAsync(command, cancellationToken);
        var duration = time.GetElapsedTime(started);
        metrics.JobRan(job.Name, duration);

        var report = outcome.Report;
        var succeeded = report.Result != JobRunResult.Failed;
        await history.AddExecution(
            new ExecutionHistoryEntry(recording.SchedulerName, recording.InstanceId, job.Group, job.Name, TriggerGroup, TriggerName,
                firedAt, duration, succeeded, ExceptionMessage: null)
            {
                EntryId = Guid.NewGuid().ToString("N"),
                Manual = true,
                Result = report.Result,
                Summary = report.Summary,
                MetricsJson = report.Metrics is { Count: > 0 } measured ? JsonSerializer.Serialize(measured) : null,
            },
            // The transition has committed: its record is written even when the caller has stopped waiting.
            CancellationToken.None);
        return outcome.Result;
    }

    private sealed record Recording(string SchedulerName, string InstanceId);
}
