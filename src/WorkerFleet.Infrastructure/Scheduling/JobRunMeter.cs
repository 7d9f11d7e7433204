using Quartz;
using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Records how long every run of a scheduled job took (<c>workerfleet.sweep.duration</c>, by job name), on
/// the instance that ran it.</summary>
internal sealed class JobRunMeter(FleetMetrics metrics) : IJobListener
{
    public string Name => nameof(JobRunMeter);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        metrics.JobRan(context.JobDetail.Key.Name, context.JobRunTime);
        return ValueTask.CompletedTask;
    }
}
