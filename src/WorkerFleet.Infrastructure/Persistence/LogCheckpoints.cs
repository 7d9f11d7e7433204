using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>Checkpoints of SQLite's write-ahead log beside the service's writes instead of inside their commits, as
/// PostgreSQL's checkpointer does for PostgreSQL (on PostgreSQL a write through here just runs).
/// <para>By default the commit that takes the log past 1,000 pages copies the log into the database file and syncs that
/// file before it returns. Under heartbeat load that commit is a batch's, so every heartbeat queued behind it waits
/// for the copy and the sync, about once in twenty batches; a sweep that moves 10,000 workers fills the log with some
/// 6,000 pages and copies them all before it returns. Here heartbeat batches and sweeps commit without checkpointing
/// (each commit still syncs the log, so what it wrote is on disk), and once <see cref="Changes"/> changes have been
/// committed since the last one, a checkpoint runs on a connection of its own, in two passes. The first copies the
/// log and syncs the database file while writes go on. The second holds the next write back while it copies the few
/// pages written meanwhile, so that the whole log is in the database file and the next write starts the log again
/// from its beginning instead of making it longer. Writes that do not come through here (registrations, an
/// operator's, a token's rotation) checkpoint in their own commit as before: registration batches, 16 at most under
/// the benchmark's 16 clients, measured faster that way (docs/performance-log.md).</para></summary>
internal sealed class LogCheckpoints(ILogger<LogCheckpoints> logger) : IAsyncDisposable, IDisposable
{
    /// <summary>Changes (heartbeats, workers moved by a sweep) between two checkpoints. A heartbeat changes at most
    /// three pages (its worker, its history slot and that slot's key), so a checkpoint after heartbeats alone starts
    /// with at most some 750 pages in the log.</summary>
    public const int Changes = 250;

    // A commit here checkpoints itself only once the log has passed 10,000 pages anyway, which happens only when the
    // checkpoints here fail; SQLite's default, which the connection goes back to the pool with, is 1,000.
    private const string SetBackstop = "PRAGMA wal_autocheckpoint = 10000";
    private const string SetDefault = "PRAGMA wal_autocheckpoint = 1000";

    private readonly SemaphoreSlim _writes = new(1, 1);
    private int _sinceLast;
    private Task _checkpoint = Task.CompletedTask;

    /// <summary>The checkpoint started last, completed when none is running.</summary>
    public Task Current => _checkpoint;

    /// <summary>Runs <paramref name="write"/>, one write transaction on the context's connection, without the commit's
    /// checkpoint (see <see cref="WriteAsync{T}(string, Func{Task{T}}, Func{T, int}, CancellationToken)"/>).</summary>
    public async Task<T> WriteAsync<T>(WorkerFleetDbContext db, Func<Task<T>> write, Func<T, int> changes, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return await write();
        }

        return await WriteAsync(db.Database.GetConnectionString()!, async () =>
        {
            // Opened here, so the setting and the write's transaction are on the same connection.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync(SetBackstop, cancellationToken);
                return await write();
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync(SetDefault, CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }, changes, cancellationToken);
    }

    /// <summary>Runs <paramref name="write"/>, one write transaction on a connection that does not checkpoint in its
    /// commits (the context's above, or one from <see cref="OpenWriterAsync"/>), one such write at a time (SQLite has one
    /// writer anyway), and starts a checkpoint beside the next writes once one is due. <paramref name="changes"/> tells
    /// how many changes the write's result made.</summary>
    public async Task<T> WriteAsync<T>(string connectionString, Func<Task<T>> write, Func<T, int> changes, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var written = await write();
            _sinceLast += changes(written);
            if (_sinceLast >= Changes && _checkpoint.IsCompleted)
            {
                _sinceLast = 0;
                _checkpoint = Task.Run(() => CheckpointAsync(connectionString), CancellationToken.None);
            }

            return written;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>A connection of a writer's own, kept between its batches, and what <paramref name="prepare"/> makes of it
    /// (the writer's prepared statements); the connection is closed again when opening or preparing fails. Not pooled,
    /// so that its setting never reaches another connection's writes: unless <paramref name="checkpointsInCommits"/>,
    /// for a writer whose writes all come through here, its commits checkpoint only past the backstop.</summary>
    public static async Task<T> OpenWriterAsync<T>(
        string connectionString, bool checkpointsInCommits, Func<SqliteConnection, T> prepare, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!checkpointsInCommits)
            {
                await using var setting = connection.CreateCommand();
                setting.CommandText = SetBackstop;
                await setting.ExecuteNonQueryAsync(cancellationToken);
            }

            return prepare(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _checkpoint;
        _writes.Dispose();
    }

    // For a host that disposes its services synchronously: a running checkpoint still finishes before it returns.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task CheckpointAsync(string connectionString)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await checkpoint.ExecuteNonQueryAsync();
            await _writes.WaitAsync();
            try
            {
                await checkpoint.ExecuteNonQueryAsync();
            }
            finally
            {
                _writes.Release();
            }
        }
        catch (SqliteException exception)
        {
            // Nothing is lost: the log keeps every commit until a later checkpoint, or the backstop, copies it.
            logger.LogWarning(exception, "Checkpointing the SQLite write-ahead log failed");
        }
    }
}
