using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Moves every Pending worker with a recent heartbeat to Active; returns the ids it moved.</summary>
public sealed record ActivatePendingWorkers : IRequest<Result<IReadOnlyList<WorkerId>>>;

internal sealed class ActivatePendingWorkersHandler(LifecycleSweeper sweeper)
    : IRequestHandler<ActivatePendingWorkers, Result<IReadOnlyList<WorkerId>>>
{
    public Task<Result<IReadOnlyList<WorkerId>>> Handle(ActivatePendingWorkers request, CancellationToken cancellationToken) =>
        sweeper.RunAsync(LifecycleSweep.Activation, cancellationToken);
}
