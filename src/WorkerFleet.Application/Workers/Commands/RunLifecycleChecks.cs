using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Runs activation, stale detection and reactivation once, in that order.</summary>
public sealed record RunLifecycleChecks : IRequest<Result<LifecycleCheckReport>>;

/// <summary>What one run of the three transitions moved.</summary>
/// <param name="Activated">Pending workers that became Active.</param>
/// <param name="MarkedOffline">Active workers that became Offline.</param>
/// <param name="Reactivated">Offline workers that became Active again.</param>
public sealed record LifecycleCheckReport(
    IReadOnlyList<WorkerId> Activated,
    IReadOnlyList<WorkerId> MarkedOffline,
    IReadOnlyList<WorkerId> Reactivated);

internal sealed class RunLifecycleChecksHandler(IMediator mediator) : IRequestHandler<RunLifecycleChecks, Result<LifecycleCheckReport>>
{
    public async Task<Result<LifecycleCheckReport>> Handle(RunLifecycleChecks request, CancellationToken cancellationToken)
    {
        var activated = await mediator.Send(new ActivatePendingWorkers(), cancellationToken);
        if (activated.Error is { } activationError)
        {
            return activationError;
        }

        var markedOffline = await mediator.Send(new MarkStaleWorkersOffline(), cancellationToken);
        if (markedOffline.Error is { } staleError)
        {
            return staleError;
        }

        var reactivated = await mediator.Send(new ReactivateOfflineWorkers(), cancellationToken);
        return reactivated.Match<Result<LifecycleCheckReport>>(
            ids => new LifecycleCheckReport(activated.Value, markedOffline.Value, ids),
            error => error);
    }
}
