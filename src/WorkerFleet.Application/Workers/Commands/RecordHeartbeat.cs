using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Records that a worker is alive, at the server's clock. Never changes the worker's status.</summary>
/// <param name="Id">The worker's id.</param>
public sealed record RecordHeartbeat(string Id) : IRequest<Result<HeartbeatReceipt>>;

/// <summary>A recorded heartbeat.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="ReceivedAt">The server time it was recorded at (UTC).</param>
/// <param name="Status">The worker's status, which the heartbeat did not change.</param>
public sealed record HeartbeatReceipt(WorkerId WorkerId, DateTimeOffset ReceivedAt, WorkerStatus Status);

internal sealed class RecordHeartbeatValidator : AbstractValidator<RecordHeartbeat>
{
    public RecordHeartbeatValidator() => RuleFor(r => r.Id).ValidWorkerId();
}

internal sealed class RecordHeartbeatHandler(IHeartbeatStore heartbeats, TimeProvider timeProvider, IOptions<LifecycleOptions> options)
    : IRequestHandler<RecordHeartbeat, Result<HeartbeatReceipt>>
{
    public async Task<Result<HeartbeatReceipt>> Handle(RecordHeartbeat request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var receivedAt = timeProvider.GetStorableUtcNow();
        var status = await heartbeats.RecordAsync(id, receivedAt, options.Value.HeartbeatHistorySize, cancellationToken);
        return status is { } current ? new HeartbeatReceipt(id, receivedAt, current) : new WorkerNotFound(id);
    }
}
