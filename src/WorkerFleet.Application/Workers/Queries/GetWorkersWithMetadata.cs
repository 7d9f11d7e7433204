using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>Workers with their last heartbeat and retained heartbeat count, optionally of one status, paged by id.</summary>
/// <param name="Status">Only workers in this status (any case); all when null.</param>
/// <param name="Limit">Page size (1–1000, default 100).</param>
/// <param name="Cursor">The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</param>
public sealed record GetWorkersWithMetadata(string? Status = null, int? Limit = null, string? Cursor = null)
    : IRequest<Result<Page<WorkerMetadata>>>;

/// <summary>A worker with its heartbeat summary.</summary>
/// <param name="Worker">The worker.</param>
/// <param name="LastHeartbeatAt">Its newest heartbeat (UTC), or null.</param>
/// <param name="HeartbeatCount">How many heartbeats its retained history holds (at most the history size).</param>
public sealed record WorkerMetadata(Worker Worker, DateTimeOffset? LastHeartbeatAt, int HeartbeatCount)
{
    /// <summary>The summary of <paramref name="worker"/> under a history of <paramref name="historySize"/>.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="historySize">How many heartbeats a worker keeps.</param>
    /// <returns>The summary.</returns>
    public static WorkerMetadata Of(Worker worker, int historySize) =>
        new(worker, worker.LastHeartbeatAt, (int)Math.Min(worker.HeartbeatsRecorded, historySize));
}

internal sealed class GetWorkersWithMetadataValidator : AbstractValidator<GetWorkersWithMetadata>
{
    public GetWorkersWithMetadataValidator()
    {
        RuleFor(r => r.Status).ValidStatus();
        RuleFor(r => r.Limit).ValidLimit();
        RuleFor(r => r.Cursor).ValidCursor();
    }
}

internal sealed class GetWorkersWithMetadataHandler(IWorkerRepository workers, IOptions<LifecycleOptions> options)
    : IRequestHandler<GetWorkersWithMetadata, Result<Page<WorkerMetadata>>>
{
    public async Task<Result<Page<WorkerMetadata>>> Handle(GetWorkersWithMetadata request, CancellationToken cancellationToken)
    {
        var page = await workers.ReadPageAsync(
            new WorkerSelection(Status: WorkerRules.ParseOptionalStatus(request.Status)), request.Limit, request.Cursor, cancellationToken);
        var historySize = options.Value.HeartbeatHistorySize;
        return new Page<WorkerMetadata>(page.Items.Select(w => WorkerMetadata.Of(w, historySize)).ToList(), page.NextCursor);
    }
}
