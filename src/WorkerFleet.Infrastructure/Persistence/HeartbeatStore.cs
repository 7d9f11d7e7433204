using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence;

internal sealed class HeartbeatStore(WorkerFleetDbContext db) : IHeartbeatStore
{
    public async Task<WorkerStatus?> RecordAsync(
        WorkerId id, string tokenHash, DateTimeOffset receivedAt, int historySize, CancellationToken cancellationToken)
    {
        var at = receivedAt.UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Numbering the heartbeat locks the worker row until commit, so heartbeats of one worker get distinct
        // numbers and an unregister or a token rotation waits for us; the token is checked by the same statement.
        // The last heartbeat only ever moves forward.
        var recorded = await db.Database.SqlQuery<RecordedHeartbeat>($"""
            UPDATE workers SET heartbeats_recorded = heartbeats_recorded + 1,
                last_heartbeat_at = CASE WHEN last_heartbeat_at IS NULL OR last_heartbeat_at < {at} THEN {at} ELSE last_heartbeat_at END
            WHERE id = {id.Value} AND token_hash = {tokenHash}
            RETURNING heartbeats_recorded AS "Sequence", status AS "Status"
            """).ToListAsync(cancellationToken);
        if (recorded.Count == 0)
        {
            return null;
        }

        var sequence = recorded[0].Sequence;
        var slot = (int)((sequence - 1) % historySize);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO worker_heartbeats (worker_id, slot, sequence, received_at) VALUES ({id.Value}, {slot}, {sequence}, {at})
            ON CONFLICT (worker_id, slot) DO UPDATE SET sequence = excluded.sequence, received_at = excluded.received_at
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Enum.Parse<WorkerStatus>(recorded[0].Status);
    }

    public async Task<IReadOnlyList<DateTimeOffset>?> GetHistoryAsync(WorkerId id, int limit, int historySize, CancellationToken cancellationToken)
    {
        var recorded = await db.ReadStrategy().ExecuteAsync(
            token => db.Workers.Where(w => w.Id == id.Value).Select(w => (long?)w.HeartbeatsRecorded).SingleOrDefaultAsync(token),
            cancellationToken);
        if (recorded is null)
        {
            return null;
        }

        // Slots left over from a larger history size hold older numbers; only the newest historySize count.
        var oldestRetained = recorded.Value - historySize;
        var times = await db.ReadStrategy().ExecuteAsync(
            token => db.Heartbeats.AsNoTracking()
                .Where(h => h.WorkerId == id.Value && h.Sequence > oldestRetained)
                .OrderByDescending(h => h.Sequence)
                .Take(limit)
                .Select(h => h.ReceivedAt)
                .ToListAsync(token),
            cancellationToken);
        return times.Select(WorkerEntity.AsUtc).ToList();
    }

    private sealed class RecordedHeartbeat
    {
        public long Sequence { get; init; }

        public required string Status { get; init; }
    }
}
