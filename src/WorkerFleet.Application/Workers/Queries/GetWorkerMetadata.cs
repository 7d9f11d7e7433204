using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>One worker with its last heartbeat and retained heartbeat count.</summary>
/// <param name="Id">The worker's id.</param>
public sealed record GetWorkerMetadata(string Id) : IRequest<Result<WorkerMetadata>>;

internal sealed class GetWorkerMetadataValidator : AbstractValidator<GetWorkerMetadata>
{
    public GetWorkerMetadataValidator() => RuleFor(r => r.Id).ValidWorkerId();
}

internal sealed class GetWorkerMetadataHandler(IWorkerRepository workers, IOptions<LifecycleOptions> options)
    : IRequestHandler<GetWorkerMetadata, Result<WorkerMetadata>>
{
    public async Task<Result<WorkerMetadata>> Handle(GetWorkerMetadata request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        return await workers.FindAsync(id, cancellationToken) is { } worker
            ? WorkerMetadata.Of(worker, options.Value.HeartbeatHistorySize)
            : new WorkerNotFound(id);
    }
}
