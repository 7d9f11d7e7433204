using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WorkerFleet.Application.Events;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>One round trip and one commit per batch: the journal's lock, then one statement that inserts the new
/// workers set-based from arrays and the <c>registered</c> events of those it inserted. An id already stored, by this
/// instance or another one racing it, is refused by the insert itself. The two statements go as one batch, which
/// PostgreSQL runs as one implicit transaction: the lock is held until that commits. Both are prepared on the writer's
/// own connection, so a batch skips PostgreSQL's parsing and planning.</summary>
internal sealed class PostgresRegistrationBatchWriter(JournalSignal journal, PostgresWriterConnection connection)
    : IBatchWriter<NewRegistration, bool>, IAsyncDisposable, IDisposable
{
    // A worker's capabilities travel as one JSON array each, since an array of arrays would unnest into single values.
    private const string Sql = """
        WITH added AS (
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at,
                                 heartbeats_recorded, version, token_hash)
            SELECT r.id, r.region, r.capacity, ARRAY(SELECT jsonb_array_elements_text(r.capabilities)), r.metadata, r.status,
                   r.registered_at, r.last_heartbeat_at, r.heartbeats_recorded, r.version, r.token_hash
            FROM unnest(@ids, @regions, @capacities, @capabilities, @metadata, @statuses, @registered, @last_heartbeats,
                        @heartbeats, @versions, @hashes)
                 AS r(id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at,
                      heartbeats_recorded, version, token_hash)
            ON CONFLICT (id) DO NOTHING
            RETURNING id, status, registered_at
        ), journaled AS (
            INSERT INTO worker_events (at, worker_id, type, to_status, actor)
            SELECT a.registered_at, a.id, @type, a.status, r.actor
            FROM added AS a JOIN unnest(@ids, @actors) WITH ORDINALITY AS r(id, actor, ord) ON r.id = a.id
            ORDER BY r.ord
        )
        SELECT id FROM added
        """;

    public async Task<IReadOnlyList<bool>> WriteAsync(
        WorkerFleetDbContext db, IReadOnlyList<NewRegistration> batch, CancellationToken cancellationToken)
    {
        var inserted = await connection.WriteAsync(db, c => InsertAsync(c, NewRegistrations.Of(batch), cancellationToken), cancellationToken);
        NewRegistrations.Committed(journal, inserted);
        return NewRegistrations.Answers(batch, inserted);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    public void Dispose() => connection.Dispose();

    /// <summary>The ids of the workers inserted.</summary>
    private static async Task<IReadOnlySet<string>> InsertAsync(
        NpgsqlConnection connection, IReadOnlyList<NewRegistration> registrations, CancellationToken cancellationToken)
    {
        var rows = registrations.Select(r => WorkerEntity.From(r.Worker)).ToList();
        await using var statements = new NpgsqlBatch(connection);
        statements.BatchCommands.Add(new NpgsqlBatchCommand(Journal.PostgresLock));
        var command = new NpgsqlBatchCommand(Sql);
        statements.BatchCommands.Add(command);
        command.Parameters.Add(PostgresArrays.Of("ids", rows, w => w.Id));
        command.Parameters.Add(PostgresArrays.Of("regions", rows, w => w.Region));
        command.Parameters.Add(PostgresArrays.Of("capacities", rows, w => w.Capacity));
        command.Parameters.Add(PostgresArrays.Of("capabilities", rows, w => WorkerEntity.ToJson(w.Capabilities), NpgsqlDbType.Jsonb));
        command.Parameters.Add(PostgresArrays.Of("metadata", rows, w => WorkerEntity.ToJson(w.Metadata), NpgsqlDbType.Jsonb));
        command.Parameters.Add(PostgresArrays.Of("statuses", rows, w => w.Status.ToString()));
        command.Parameters.Add(PostgresArrays.Of("registered", rows, w => w.RegisteredAt, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PostgresArrays.Of("last_heartbeats", rows, w => w.LastHeartbeatAt, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(PostgresArrays.Of("heartbeats", rows, w => w.HeartbeatsRecorded));
        command.Parameters.Add(PostgresArrays.Of("versions", rows, w => w.Version));
        command.Parameters.Add(PostgresArrays.Of("hashes", rows, w => w.TokenHash));
        command.Parameters.Add(PostgresArrays.Of("actors", registrations, r => r.Actor));
        command.Parameters.Add(new NpgsqlParameter<string>("type", WorkerEvent.NameOf(WorkerEventType.Registered)));
        await statements.PrepareAsync(cancellationToken);

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await statements.ExecuteReaderAsync(cancellationToken))
        {
            // The first result is the lock's.
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        return inserted;
    }
}
