using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>One statement, one round trip and one commit per batch: the workers' counters and last heartbeats, and
/// their history slots, written set-based from arrays. The statement is prepared on the writer's own connection.</summary>
internal sealed class PostgresHeartbeatBatchWriter(PostgresWriterConnection connection) : IBatchWriter<HeartbeatWrite, WorkerStatus?>, IAsyncDisposable, IDisposable
{
    private const int Attempts = 3;

    // beats numbers each worker's heartbeats of the batch in arrival order. The UPDATE checks the token and locks the
    // row, so the numbers it hands out (before + 1 … before + n) belong to this batch alone; the last heartbeat only
    // moves forward (GREATEST ignores a NULL). Only the newest history-size heartbeats of a worker take a slot, so no
    // slot is written twice by one statement.
    private const string Sql = """
        WITH beats AS (
            SELECT b.id, b.token_hash, b.at, b.size,
                   row_number() OVER (PARTITION BY b.id, b.token_hash ORDER BY b.at, b.ord) AS nth,
                   count(*) OVER (PARTITION BY b.id, b.token_hash) AS n
            FROM unnest(@ids, @hashes, @ats, @sizes) WITH ORDINALITY AS b(id, token_hash, at, size, ord)
        ), recorded AS (
            UPDATE workers AS w
            SET heartbeats_recorded = w.heartbeats_recorded + g.n,
                last_heartbeat_at = GREATEST(w.last_heartbeat_at, g.newest)
            FROM (SELECT id, token_hash, max(n) AS n, max(at) AS newest FROM beats GROUP BY id, token_hash) AS g
            WHERE w.id = g.id AND w.token_hash = g.token_hash
            RETURNING w.id, w.token_hash, w.heartbeats_recorded - g.n AS before, w.status
        ), history AS (
            INSERT INTO worker_heartbeats (worker_id, slot, sequence, received_at)
            SELECT b.id, ((r.before + b.nth - 1) % b.size)::int, r.before + b.nth, b.at
            FROM beats AS b JOIN recorded AS r ON r.id = b.id AND r.token_hash = b.token_hash
            WHERE b.nth > b.n - b.size
            ON CONFLICT (worker_id, slot) DO UPDATE SET sequence = excluded.sequence, received_at = excluded.received_at
        )
        SELECT id, token_hash, status FROM recorded
        """;

    public Task<IReadOnlyList<WorkerStatus?>> WriteAsync(
        WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken) =>
        connection.WriteAsync(db, c => WriteRetryingDeadlocksAsync(c, batch, cancellationToken), cancellationToken);

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    public void Dispose() => connection.Dispose();

    private static async Task<IReadOnlyList<WorkerStatus?>> WriteRetryingDeadlocksAsync(
        NpgsqlConnection connection, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteOnceAsync(connection, batch, cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < Attempts)
            {
                // A deadlock (with a sweep, or another instance's batch) rolled the whole statement back: nothing was
                // written, so writing it again cannot count a heartbeat twice.
            }
        }
    }

    private static async Task<IReadOnlyList<WorkerStatus?>> WriteOnceAsync(
        NpgsqlConnection connection, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection);

        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", batch.Select(h => h.Id.Value).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("hashes", batch.Select(h => h.TokenHash).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("ats", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        {
            TypedValue = batch.Select(h => h.ReceivedAt).ToArray(),
        });
        command.Parameters.Add(new NpgsqlParameter<int[]>("sizes", batch.Select(h => h.HistorySize).ToArray()));
        await command.PrepareAsync(cancellationToken);

        var recorded = new Dictionary<(string Id, string TokenHash), WorkerStatus>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded[(reader.GetString(0), reader.GetString(1))] = Enum.Parse<WorkerStatus>(reader.GetString(2));
            }
        }

        return batch.Select(h => recorded.TryGetValue((h.Id.Value, h.TokenHash), out var status) ? status : (WorkerStatus?)null).ToList();
    }
}
