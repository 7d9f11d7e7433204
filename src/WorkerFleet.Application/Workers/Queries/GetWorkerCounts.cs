using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>How many workers are in each status.</summary>
public sealed record GetWorkerCounts : IRequest<Result<WorkerCounts>>;

/// <summary>The number of workers in each status, counted together: one consistent snapshot of the fleet.</summary>
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
    public async Task<Result<WorkerCounts>> Handle(GetWorkerCounts request, CancellationToken cancellationToken)
    {
        var counts = await workers.CountByStatusAsync(cancellationToken);
        return new WorkerCounts(
            counts.GetValueOrDefault(WorkerStatus.Pending),
            counts.GetValueOrDefault(WorkerStatus.Active),
            counts.GetValueOrDefault(WorkerStatus.Offline),
            counts.GetValueOrDefault(WorkerStatus.Failed));
    }
}
