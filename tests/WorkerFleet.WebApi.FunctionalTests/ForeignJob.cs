using Quartz;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A job type that is not the service's own, though it is a real job and loads: only the type check refuses it.</summary>
public sealed class ForeignJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
