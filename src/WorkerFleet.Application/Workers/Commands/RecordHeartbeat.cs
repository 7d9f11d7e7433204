using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Records that a worker is alive, at the server's clock. Never changes the worker's status.</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Token">The worker's current token; a heartbeat with any other records nothing.</param>
public sealed record RecordHeartbeat(string Id, string Token) : IRequest<Result<HeartbeatReceipt>>
{
    // Anything that prints this record (a log line, a debugger) must not show the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"Id = {Id}, Token = {WorkerToken.Redacted}");
        return true;
    }
}

/// <summary>A recorded heartbeat.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="ReceivedAt">The server time it was recorded at (UTC).</param>
/// <param name="Status">The worker's status, which the heartbeat did not change.</param>
/// <param name="NextHeartbeatIn">When the worker should send its next heartbeat, from <see cref="HeartbeatPacer"/>.</param>
public sealed record HeartbeatReceipt(WorkerId WorkerId, DateTimeOffset ReceivedAt, WorkerStatus Status, TimeSpan NextHeartbeatIn);

internal sealed class RecordHeartbeatValidator : AbstractValidator<RecordHeartbeat>
{
    public RecordHeartbeatValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Token).ValidTokenShape();
    }
}

internal sealed class RecordHeartbeatHandler(
    IHeartbeatStore heartbeats, IWorkerRepository workers, HeartbeatPacer pacer, TimeProvider timeProvider,
    IOptions<LifecycleOptions> options)
    : IRequestHandler<RecordHeartbeat, Result<HeartbeatReceipt>>
{
    public async Task<Result<HeartbeatReceipt>> Handle(RecordHeartbeat request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var receivedAt = timeProvider.GetStorableUtcNow();
        var status = await heartbeats.RecordAsync(
            id, WorkerToken.HashOf(request.Token), receivedAt, options.Value.HeartbeatHistorySize, cancellationToken);
        if (status is { } current)
        {
            return new HeartbeatReceipt(id, receivedAt, current, pacer.NextInterval());
        }

        // Only a refused heartbeat pays for telling "no such worker" from "not its token".
        return await workers.FindAsync(id, cancellationToken) is null ? new WorkerNotFound(id) : new InvalidWorkerToken();
    }
}
