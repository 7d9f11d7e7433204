using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>One write transaction per batch, one prepared insert run per new worker: in SQLite a statement costs
/// microseconds, and the commit's sync to disk is the cost worth sharing. An id already stored is refused by the
/// insert itself. Their events are written in the same transaction.</summary>
internal sealed class SqliteRegistrationBatchWriter(JournalSignal journal) : IBatchWriter<NewRegistration, bool>
{
    private static readonly string[] Columns =
    [
        "id", "region", "capacity", "capabilities", "metadata", "status", "registered_at", "last_heartbeat_at",
        "heartbeats_recorded", "version", "token_hash",
    ];

    private static readonly string Sql =
        $"INSERT INTO workers ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))}) ON CONFLICT (id) DO NOTHING";

    public async Task<IReadOnlyList<bool>> WriteAsync(WorkerFleetDbContext db, IReadOnlyList<NewRegistration> batch, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE: the write lock is taken up front, so the transaction never fails half-way to upgrade it.
        await using var transaction = await Journal.BeginAsync(db, cancellationToken);
        await using var insert = db.CreatePreparedCommand(Sql, Columns.Select(c => "$" + c));
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        var registrations = NewRegistrations.Of(batch);
        foreach (var row in registrations.Select(r => WorkerEntity.From(r.Worker)))
        {
            object?[] values =
            [
                row.Id, row.Region, row.Capacity, WorkerEntity.ToJson(row.Capabilities), WorkerEntity.ToJson(row.Metadata),
                row.Status.ToString(), SqliteWorkerFleetDbContext.Stored(row.RegisteredAt), SqliteWorkerFleetDbContext.Stored(row.LastHeartbeatAt), row.HeartbeatsRecorded, row.Version, row.TokenHash,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                inserted.Add(row.Id);
            }
        }

        await Journal.AppendAsync(db, NewRegistrations.Events(registrations, inserted), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        NewRegistrations.Committed(journal, inserted);
        return NewRegistrations.Answers(batch, inserted);
    }
}
