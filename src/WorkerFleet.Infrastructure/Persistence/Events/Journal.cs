using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace WorkerFleet.Infrastructure.Persistence.Events;

/// <summary>How changes write their events. Sequences must become visible in sequence order, or a reader that has seen
/// 42 could later miss a 41 committed after it read. So every transaction that writes events holds the journal's write
/// lock from before it draws its first sequence until it commits: on SQLite the database's single write lock (every
/// transaction here is BEGIN IMMEDIATE), on PostgreSQL a transaction-scoped advisory lock, taken first, before the
/// change locks any row, so no two writers can wait on each other. Transactions that write no event (heartbeats) never
/// take it.</summary>
internal static class Journal
{
    /// <summary>Takes the journal's lock on PostgreSQL until the transaction ends. The key is "WFEVENTS" in ASCII.</summary>
    public const string PostgresLock = "SELECT pg_advisory_xact_lock(6288790166501741651)";

    private const string PostgresAppend = """
        INSERT INTO worker_events (at, worker_id, type, from_status, to_status, trigger, actor, last_heartbeat_at, cutoff, note)
        SELECT e.at, e.worker_id, e.type, e.from_status, e.to_status, e.trigger, e.actor, e.last_heartbeat_at, e.cutoff, e.note
        FROM unnest(@ats, @ids, @types, @froms, @tos, @triggers, @actors, @heartbeats, @cutoffs, @notes) WITH ORDINALITY
             AS e(at, worker_id, type, from_status, to_status, trigger, actor, last_heartbeat_at, cutoff, note, ord)
        ORDER BY e.ord
        """;

    private static readonly string[] Columns =
        ["at", "worker_id", "type", "from_status", "to_status", "trigger", "actor", "last_heartbeat_at", "cutoff", "note"];

    private static readonly string[] SqliteParameters = [.. Columns.Select(c => "$" + c)];

    private static readonly string SqliteAppend =
        $"INSERT INTO worker_events ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", SqliteParameters)})";

    /// <summary>Begins a transaction that will write events, holding the journal's lock from the start.</summary>
    public static async Task<IDbContextTransaction> BeginAsync(WorkerFleetDbContext db, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await LockAsync(db, cancellationToken);
        return transaction;
    }

    /// <summary>Takes the journal's lock in the current transaction, for one that began without it: it must not have
    /// locked a row that another writer of events could be waiting for.</summary>
    public static async Task LockAsync(WorkerFleetDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync(PostgresLock, cancellationToken);
        }
    }

    /// <summary>Appends the events, in list order, in the current transaction, which must hold the journal's lock.</summary>
    public static async Task AppendAsync(WorkerFleetDbContext db, IReadOnlyList<WorkerEventEntity> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return;
        }

        if (db.Database.IsNpgsql())
        {
            await using var command = (NpgsqlCommand)db.CreateCommand(PostgresAppend);
            command.Parameters.Add(PostgresArrays.Of("ats", events, e => e.At, NpgsqlDbType.TimestampTz));
            command.Parameters.Add(PostgresArrays.Of("ids", events, e => e.WorkerId, NpgsqlDbType.Text));
            command.Parameters.Add(PostgresArrays.Of("types", events, e => e.Type, NpgsqlDbType.Text));
            command.Parameters.Add(PostgresArrays.Of("froms", events, e => e.FromStatus?.ToString(), NpgsqlDbType.Text));
            command.Parameters.Add(PostgresArrays.Of("tos", events, e => e.ToStatus?.ToString(), NpgsqlDbType.Text));
            command.Parameters.Add(PostgresArrays.Of("triggers", events, e => e.Trigger, NpgsqlDbType.Text));
            command.Parameters.Add(PostgresArrays.Of("actors", events, e => e.Actor, NpgsqlDbType.Text));
            command.Parameters.Add(PostgresArrays.Of("heartbeats", events, e => e.LastHeartbeatAt, NpgsqlDbType.TimestampTz));
            command.Parameters.Add(PostgresArrays.Of("cutoffs", events, e => e.Cutoff, NpgsqlDbType.TimestampTz));
            command.Parameters.Add(PostgresArrays.Of("notes", events, e => e.Note, NpgsqlDbType.Text));
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        await using var insert = db.CreatePreparedCommand(SqliteAppend, SqliteParameters);
        await AppendAsync(insert, events, cancellationToken);
    }

    /// <summary>The SQLite insert of one event, prepared on <paramref name="connection"/>, for a writer that keeps it
    /// between its transactions and appends with <see cref="AppendAsync(DbCommand, IReadOnlyList{WorkerEventEntity}, CancellationToken)"/>.</summary>
    public static DbCommand PrepareSqliteAppend(SqliteConnection connection, int? timeout) =>
        WorkerFleetDbContext.Prepare(connection, SqliteAppend, timeout, SqliteParameters);

    /// <summary>Appends the events, in list order, with SQLite's prepared insert, in its connection's current
    /// transaction, which must hold the journal's lock.</summary>
    public static async Task AppendAsync(DbCommand insert, IReadOnlyList<WorkerEventEntity> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            object?[] values =
            [
                SqliteWorkerFleetDbContext.Stored(e.At), e.WorkerId, e.Type, e.FromStatus?.ToString(), e.ToStatus?.ToString(), e.Trigger, e.Actor,
                SqliteWorkerFleetDbContext.Stored(e.LastHeartbeatAt), SqliteWorkerFleetDbContext.Stored(e.Cutoff), e.Note,
            ];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
