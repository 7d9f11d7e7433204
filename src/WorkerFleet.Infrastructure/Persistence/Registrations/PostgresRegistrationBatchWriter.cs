using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>One transaction per batch: the new workers inserted set-based from arrays, then their events. An id
/// already stored, by this instance or another one racing it, is refused by the insert itself.</summary>
internal sealed class PostgresRegistrationBatchWriter : IBatchWriter<NewRegistration, bool>
{
    // A worker's capabilities travel as one JSON array each, since an array of arrays would unnest into single values.
    private const string Sql = """
        INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at,
                             heartbeats_recorded, version, token_hash)
        SELECT r.id, r.region, r.capacity, ARRAY(SELECT jsonb_array_elements_text(r.capabilities)), r.metadata, r.status,
               r.registered_at, r.last_heartbeat_at, r.heartbeats_recorded, r.version, r.token_hash
        FROM unnest(@ids, @regions, @capacities, @capabilities, @metadata, @statuses, @registered, @last_heartbeats,
                    @heartbeats, @versions, @hashes)
             AS r(id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at,
                  heartbeats_recorded, version, token_hash)
        ON CONFLICT (id) DO NOTHING
        RETURNING id
        """;

    public async Task<IReadOnlyList<bool>> WriteAsync(WorkerFleetDbContext db, IReadOnlyList<NewRegistration> batch, CancellationToken cancellationToken)
    {
        var registrations = NewRegistrations.Of(batch);
        var rows = registrations.Select(r => WorkerEntity.From(r.Worker)).ToList();
        await using var transaction = await Journal.BeginAsync(db, cancellationToken);
        await using var command = (NpgsqlCommand)db.CreateCommand(Sql);
        command.Parameters.Add(Array("ids", rows, w => w.Id));
        command.Parameters.Add(Array("regions", rows, w => w.Region));
        command.Parameters.Add(Array("capacities", rows, w => w.Capacity));
        command.Parameters.Add(Array("capabilities", rows, w => WorkerEntity.ToJson(w.Capabilities), NpgsqlDbType.Jsonb));
        command.Parameters.Add(Array("metadata", rows, w => WorkerEntity.ToJson(w.Metadata), NpgsqlDbType.Jsonb));
        command.Parameters.Add(Array("statuses", rows, w => w.Status.ToString()));
        command.Parameters.Add(Array("registered", rows, w => w.RegisteredAt, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Array("last_heartbeats", rows, w => w.LastHeartbeatAt, NpgsqlDbType.TimestampTz));
        command.Parameters.Add(Array("heartbeats", rows, w => w.HeartbeatsRecorded));
        command.Parameters.Add(Array("versions", rows, w => w.Version));
        command.Parameters.Add(Array("hashes", rows, w => w.TokenHash));

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        await Journal.AppendAsync(db, NewRegistrations.Events(registrations, inserted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return NewRegistrations.Answers(batch, inserted);
    }

    private static NpgsqlParameter<T[]> Array<T>(
        string name, IReadOnlyList<WorkerEntity> rows, Func<WorkerEntity, T> column, NpgsqlDbType? elementType = null)
    {
        var parameter = new NpgsqlParameter<T[]>(name, rows.Select(column).ToArray());
        if (elementType is { } type)
        {
            parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
        }

        return parameter;
    }
}
