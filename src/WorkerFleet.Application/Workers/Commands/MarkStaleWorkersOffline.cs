using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Moves every Active worker without a heartbeat within the timeout to Offline; returns the ids it moved.</summary>
public sealed record MarkStaleWorkersOffline : IRequest<Result<IReadOnlyList<WorkerId>>>;

internal sealed class MarkStaleWorkersOfflineHandler(LifecycleSweeper sweeper)
    : IRequestHandler<MarkStaleWorkersOffline, Result<IReadOnlyList<WorkerId>>>
{
    public Task<Result<IReadOnlyList<WorkerId>>> Handle(MarkStaleWorkersOffline request, CancellationToken cancellationToken) =>
        sweeper.RunAsync(LifecycleSweep.StaleDetection, cancellationToken);
}
