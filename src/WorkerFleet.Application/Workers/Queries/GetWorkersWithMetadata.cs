using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>Workers with their last heartbeat and retained heartbeat count, optionally of one status, paged by id.</summary>
public sealed record GetWorkersWithMetadata(string? Status = null, int? Limit = null, string? Cursor = null)
    : IRequest<Result<Page<WorkerMetadata>>>;

/// <summary>A worker with its heartbeat summary; <see cref="HeartbeatCount"/> counts the retained history.</summary>
public sealed record WorkerMetadata(Worker Worker, DateTimeOffset? LastHeartbeatAt, int HeartbeatCount)
{
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
            WorkerRules.ParseOptionalStatus(request.Status), request.Limit, request.Cursor, cancellationToken);
        var historySize = options.Value.HeartbeatHistorySize;
        return new Page<WorkerMetadata>(page.Items.Select(w => WorkerMetadata.Of(w, historySize)).ToList(), page.NextCursor);
    }
}
