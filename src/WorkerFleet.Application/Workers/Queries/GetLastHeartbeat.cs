using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>When the worker last sent a heartbeat.</summary>
/// <param name="Id">The worker's id.</param>
public sealed record GetLastHeartbeat(string Id) : IRequest<Result<LastHeartbeat>>;

/// <summary>A worker's last heartbeat.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="At">Its newest heartbeat (UTC); null when it never sent one.</param>
public sealed record LastHeartbeat(WorkerId WorkerId, DateTimeOffset? At);

internal sealed class GetLastHeartbeatValidator : AbstractValidator<GetLastHeartbeat>
{
    public GetLastHeartbeatValidator() => RuleFor(r => r.Id).ValidWorkerId();
}

internal sealed class GetLastHeartbeatHandler(IWorkerRepository workers) : IRequestHandler<GetLastHeartbeat, Result<LastHeartbeat>>
{
    public async Task<Result<LastHeartbeat>> Handle(GetLastHeartbeat request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        return await workers.FindAsync(id, cancellationToken) is { } worker
            ? new LastHeartbeat(id, worker.LastHeartbeatAt)
            : new WorkerNotFound(id);
    }
}
