using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>One write transaction per batch. SQLite runs in the process, so a statement costs microseconds and the
/// commit's sync to disk is the cost worth sharing: the statements run per heartbeat. The batches are written on a
/// connection of the writer's own, kept with its two statements prepared (<see cref="SqliteWriterConnection{TStatements}"/>).
/// The write-ahead log is checkpointed beside the batches, not in their commits (<see cref="LogCheckpoints"/>).</summary>
internal sealed class SqliteHeartbeatBatchWriter(LogCheckpoints checkpoints) : IBatchWriter<HeartbeatWrite, WorkerStatus?>, IDisposable
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

    private readonly SqliteWriterConnection<Statements> _connection = new(checkpointsInCommits: false, Statements.Prepare);

    public Task<IReadOnlyList<WorkerStatus?>> WriteAsync(
        WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken) =>
        checkpoints.WriteAsync(
            db.Database.GetConnectionString()!,
            () => _connection.WriteAsync(db, statements => Task.FromResult<IReadOnlyList<WorkerStatus?>>(statements.Write(batch)), cancellationToken),
            _ => batch.Count,
            cancellationToken);

    public void Dispose() => _connection.Dispose();

    /// <summary>The writer's connection and its two prepared statements.</summary>
    private sealed class Statements(SqliteConnection connection, DbCommand record, DbCommand history) : IDisposable
    {
        public static Statements Prepare(SqliteConnection connection, int? timeout) =>
            new(connection,
                WorkerFleetDbContext.Prepare(connection, RecordSql, timeout, "$at", "$id", "$hash"),
                WorkerFleetDbContext.Prepare(connection, HistorySql, timeout, "$id", "$slot", "$sequence", "$at"));

        public WorkerStatus?[] Write(IReadOnlyList<HeartbeatWrite> batch)
        {
            // BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never fails half-way to upgrade it.
            using var transaction = connection.BeginTransaction(deferred: false);
            record.Transaction = transaction;
            history.Transaction = transaction;

            // Numbered in the order they were received, as the PostgreSQL statement numbers them.
            var answers = new WorkerStatus?[batch.Count];
            foreach (var i in Enumerable.Range(0, batch.Count).OrderBy(i => batch[i].ReceivedAt))
            {
                var heartbeat = batch[i];
                record.Parameters["$at"].Value = SqliteWorkerFleetDbContext.Stored(heartbeat.ReceivedAt);
                record.Parameters["$id"].Value = heartbeat.Id.Value;
                record.Parameters["$hash"].Value = heartbeat.TokenHash;
                long sequence;
                using (var reader = record.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        continue;
                    }

                    sequence = reader.GetInt64(0);
                    answers[i] = Enum.Parse<WorkerStatus>(reader.GetString(1));
                }

                history.Parameters["$id"].Value = heartbeat.Id.Value;
                history.Parameters["$slot"].Value = (sequence - 1) % heartbeat.HistorySize;
                history.Parameters["$sequence"].Value = sequence;
                history.Parameters["$at"].Value = SqliteWorkerFleetDbContext.Stored(heartbeat.ReceivedAt);
                history.ExecuteNonQuery();
            }

            transaction.Commit();
            return answers;
        }

        public void Dispose()
        {
            record.Dispose();
            history.Dispose();
            connection.Dispose();
        }
    }
}
