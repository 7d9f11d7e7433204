using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>A SQLite connection of one group-commit writer's own, with the statements the writer prepared on it, kept
/// from batch to batch: renting a pooled connection, setting it up and preparing the statements again cost a fifth of a
/// heartbeat batch's time, and SQLite compiles a table's triggers into every insert it prepares
/// (docs/performance-log.md). Opened with the first batch from the context's connection string and dropped after a
/// batch that failed, so the next one starts on a fresh connection, as <see cref="PostgresWriterConnection"/> does on
/// PostgreSQL.</summary>
/// <typeparam name="TStatements">The writer's prepared statements, which own the connection they were prepared on.</typeparam>
internal sealed class SqliteWriterConnection<TStatements>(bool checkpointsInCommits, Func<SqliteConnection, int?, TStatements> prepare)
    : IDisposable
    where TStatements : class, IDisposable
{
    // One batch at a time: the group commit writes them one after another.
    private TStatements? _statements;

    /// <summary>Runs one batch's <paramref name="write"/> on the kept statements, opening the connection (as
    /// <see cref="LogCheckpoints.OpenWriterAsync"/> opens a writer's, with its <c>checkpointsInCommits</c>) and preparing
    /// them first when there are none.</summary>
    public async Task<T> WriteAsync<T>(WorkerFleetDbContext db, Func<TStatements, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            _statements ??= await LogCheckpoints.OpenWriterAsync(
                db.Database.GetConnectionString()!, checkpointsInCommits, connection => prepare(connection, db.Database.GetCommandTimeout()),
                cancellationToken);
            return await write(_statements);
        }
        catch
        {
            // Whatever went wrong, the next batch starts on a fresh connection.
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _statements?.Dispose();
        _statements = null;
    }
}
