using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>How many workers are in each status.</summary>
public sealed record GetWorkerCounts : IRequest<Result<WorkerCounts>>;

/// <summary>The number of workers in each status. Each status is counted by a statement of its own, so while
/// workers change status the numbers may come from slightly different moments.</summary>
/// <param name="Pending">Workers in <see cref="WorkerStatus.Pending"/>.</param>
/// <param name="Active">Workers in <see cref="WorkerStatus.Active"/>.</param>
/// <param name="Offline">Workers in <see cref="WorkerStatus.Offline"/>.</param>
/// <param name="Failed">Workers in <see cref="WorkerStatus.Failed"/>.</param>
public sealed record WorkerCounts(int Pending, int Active, int Offline, int Failed)
{
    /// <summary>All workers: the sum of the four counts.</summary>
    public int Total => Pending + Active + Offline + Failed;
}

internal sealed class GetWorkerCountsHandler(IWorkerRepository workers) : IRequestHandler<GetWorkerCounts, Result<WorkerCounts>>
{
    public async Task<Result<WorkerCounts>> Handle(GetWorkerCounts request, CancellationToken cancellationToken) =>
        new WorkerCounts(
            await workers.CountAsync(WorkerStatus.Pending, cancellationToken),
            await workers.CountAsync(WorkerStatus.Active, cancellationToken),
            await workers.CountAsync(WorkerStatus.Offline, cancellationToken),
            await workers.CountAsync(WorkerStatus.Failed, cancellationToken));
}
