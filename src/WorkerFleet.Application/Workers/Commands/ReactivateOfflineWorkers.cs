using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Moves every Offline worker with a recent heartbeat back to Active; returns the ids it moved.</summary>
public sealed record ReactivateOfflineWorkers : IRequest<Result<IReadOnlyList<WorkerId>>>;

internal sealed class ReactivateOfflineWorkersHandler(LifecycleSweeper sweeper)
    : IRequestHandler<ReactivateOfflineWorkers, Result<IReadOnlyList<WorkerId>>>
{
    public Task<Result<IReadOnlyList<WorkerId>>> Handle(ReactivateOfflineWorkers request, CancellationToken cancellationToken) =>
        sweeper.RunAsync(LifecycleSweep.Reactivation, cancellationToken);
}
