using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>One write transaction per batch, one prepared insert run per new worker: in SQLite a statement costs
/// microseconds, and the commit's sync to disk is the cost worth sharing. An id already stored is refused by the
/// insert itself. Their events are written in the same transaction. As the heartbeats' writer does, the batches are
/// written on a connection of the writer's own, kept with the insert and the journal's insert prepared
/// (<see cref="SqliteWriterConnection{TStatements}"/>): SQLite compiles the three capability triggers on <c>workers</c>
/// into the insert each time it is prepared. Unlike the heartbeats', these commits checkpoint the log themselves (see
/// <see cref="LogCheckpoints"/>).</summary>
internal sealed class SqliteRegistrationBatchWriter(JournalSignal journal) : IBatchWriter<NewRegistration, bool>, IDisposable
{
    private static readonly string[] Columns =
    [
        "id", "region", "capacity", "capabilities", "metadata", "status", "registered_at", "last_heartbeat_at",
        "heartbeats_recorded", "version", "token_hash",
    ];

    private static readonly string[] Parameters = [.. Columns.Select(c => "$" + c)];

    private static readonly string Sql =
        $"INSERT INTO workers ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Parameters)}) ON CONFLICT (id) DO NOTHING";

    private readonly SqliteWriterConnection<Statements> _connection = new(checkpointsInCommits: true, Statements.Prepare);

    public async Task<IReadOnlyList<bool>> WriteAsync(WorkerFleetDbContext db, IReadOnlyList<NewRegistration> batch, CancellationToken cancellationToken)
    {
        var registrations = NewRegistrations.Of(batch);
        var inserted = await _connection.WriteAsync(db, statements => statements.WriteAsync(registrations, cancellationToken), cancellationToken);
        NewRegistrations.Committed(journal, inserted);
        return NewRegistrations.Answers(batch, inserted);
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The writer's connection and its two prepared inserts.</summary>
    private sealed class Statements(SqliteConnection connection, DbCommand insert, DbCommand append) : IDisposable
    {
        public static Statements Prepare(SqliteConnection connection, int? timeout) =>
            new(connection, WorkerFleetDbContext.Prepare(connection, Sql, timeout, Parameters), Journal.PrepareSqliteAppend(connection, timeout));

        /// <summary>The ids of the workers inserted.</summary>
        public async Task<IReadOnlySet<string>> WriteAsync(IReadOnlyList<NewRegistration> registrations, CancellationToken cancellationToken)
        {
            // BEGIN IMMEDIATE: the write lock, which is also the journal's, is taken up front, so the transaction never
            // fails half-way to upgrade it.
            await using var transaction = connection.BeginTransaction(deferred: false);
            insert.Transaction = transaction;
            append.Transaction = transaction;
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in registrations.Select(r => WorkerEntity.From(r.Worker)))
            {
                object?[] values =
                [
                    row.Id, row.Region, row.Capacity, WorkerEntity.ToJson(row.Capabilities), WorkerEntity.ToJson(row.Metadata),
                    row.Status.ToString(), SqliteWorkerFleetDbContext.Stored(row.RegisteredAt), SqliteWorkerFleetDbContext.Stored(row.LastHeartbeatAt),
                    row.HeartbeatsRecorded, row.Version, row.TokenHash,
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

            await Journal.AppendAsync(append, NewRegistrations.Events(registrations, inserted), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return inserted;
        }

        public void Dispose()
        {
            insert.Dispose();
            append.Dispose();
            connection.Dispose();
        }
    }
}
