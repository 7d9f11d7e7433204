using MediatR;
using Microsoft.Extensions.Logging;
using Quartz;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Sends one lifecycle-transition command and logs what it changed. A storage outage is logged and
/// the next fire tries again; the scheduler itself never stops for it.</summary>
[DisallowConcurrentExecution]
internal sealed class LifecycleTransitionJob<TCommand>(IMediator mediator, ILogger<LifecycleTransitionJob<TCommand>> logger) : IJob
    where TCommand : IRequest<Result<IReadOnlyList<WorkerId>>>, new()
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        logger.LogDebug("{Command} runs on instance {Instance} for the fire scheduled at {ScheduledFireTime:O}",
            typeof(TCommand).Name, context.Scheduler.SchedulerInstanceId, context.ScheduledFireTimeUtc);
        var result = await mediator.Send(new TCommand(), cancellationToken);
        if (result.Error is { } error)
        {
            logger.LogWarning("{Command} skipped: {Error}", typeof(TCommand).Name, error.Message);
            context.Result = error.Message;
            return;
        }

        var moved = result.Value;
        if (moved.Count > 0)
        {
            logger.LogInformation("{Command} moved {Count} worker(s): {WorkerIds}", typeof(TCommand).Name, moved.Count, string.Join(", ", moved));
        }

        context.Result = moved.Count;
    }
}
