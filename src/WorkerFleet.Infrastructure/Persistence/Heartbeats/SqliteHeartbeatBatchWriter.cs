using Microsoft.EntityFrameworkCore;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>One write transaction per batch. SQLite runs in the process, so a statement costs microseconds and the
/// commit's sync to disk is the cost worth sharing: the batch's statements are prepared once and run per heartbeat.
/// The write-ahead log is checkpointed beside the batches, not in their commits (<see cref="LogCheckpoints"/>).</summary>
internal sealed class SqliteHeartbeatBatchWriter(LogCheckpoints checkpoints) : IBatchWriter<HeartbeatWrite, WorkerStatus?>
{
    // The token is checked by the statement that counts the heartbeat; the last heartbeat only moves forward.
    private const string RecordSql = """
        UPDATE workers SET heartbeats_recorded = heartbeats_recorded + 1,
            last_heartbeat_at = CASE WHEN last_heartbeat_at IS NULL OR last_heartbeat_at < $at THEN $at ELSE last_heartbeat_at END
        WHERE id = $id AND token_hash = $hash
        RETURNING heartbeats_recorded, status
        """;

    private const string HistorySql = """
        INSERT INTO worker_heartbeats (worker_id, slot, sequence, received_at) VALUES ($id, $slot, $sequence, $at)
        ON CONFLICT (worker_id, slot) DO UPDATE SET sequence = excluded.sequence, received_at = excluded.received_at
        """;

    public Task<IReadOnlyList<WorkerStatus?>> WriteAsync(
        WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken) =>
        checkpoints.WriteAsync(db, () => WriteBatchAsync(db, batch, cancellationToken), _ => batch.Count, cancellationToken);

    private static async Task<IReadOnlyList<WorkerStatus?>> WriteBatchAsync(
        WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never fails half-way to upgrade it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await using var record = db.CreatePreparedCommand(RecordSql, "$at", "$id", "$hash");
        await using var history = db.CreatePreparedCommand(HistorySql, "$id", "$slot", "$sequence", "$at");

        // Numbered in the order they were received, as the PostgreSQL statement numbers them.
        var answers = new WorkerStatus?[batch.Count];
        foreach (var i in Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].ReceivedAt))
        {
            var heartbeat = batch[i];
            record.Parameters["$at"].Value = heartbeat.ReceivedAt;
            record.Parameters["$id"].Value = heartbeat.Id.Value;
            record.Parameters["$hash"].Value = heartbeat.TokenHash;
            long sequence;
            await using (var reader = await record.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    continue;
                }

                sequence = reader.GetInt64(0);
                answers[i] = Enum.Parse<WorkerStatus>(reader.GetString(1));
            }

            history.Parameters["$id"].Value = heartbeat.Id.Value;
            history.Parameters["$slot"].Value = (sequence - 1) % heartbeat.HistorySize;
            history.Parameters["$sequence"].Value = sequence;
            history.Parameters["$at"].Value = heartbeat.ReceivedAt;
            await history.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return answers;
    }
}
