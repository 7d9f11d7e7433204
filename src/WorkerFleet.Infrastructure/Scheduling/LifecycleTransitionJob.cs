using MediatR;
using Microsoft.Extensions.Logging;
using Quartz;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Runs one lifecycle transition on its schedule and reports what it changed to the execution history. A
/// storage outage is reported and the next fire tries again; the scheduler itself never stops for it.</summary>
[DisallowConcurrentExecution]
internal sealed class LifecycleTransitionJob<TCommand>(LifecycleTransition transition, ILogger<LifecycleTransitionJob<TCommand>> logger) : IJob
    where TCommand : IRequest<Result<IReadOnlyList<WorkerId>>>, new()
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var span = FleetTracing.Source.StartActivity($"job {context.JobDetail.Key.Name}");
        logger.LogDebug("{Command} runs on instance {Instance} for the fire scheduled at {ScheduledFireTime:O}",
            typeof(TCommand).Name, context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc);
        context.Result = (await transition.RunAsync(new TCommand(), cancellationToken)).Report;
    }
}
