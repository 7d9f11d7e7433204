using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>Checkpoints of SQLite's write-ahead log beside the heartbeat batches instead of inside them.
/// <para>By default the commit that takes the log past 1,000 pages copies the log into the database file and syncs it
/// before it returns. Under heartbeat load that commit is a batch's, so every heartbeat queued behind it waits for that
/// copy and sync, about once in twenty batches: the heartbeats' slowest answers. Here heartbeat batches commit without
/// checkpointing (each commit still syncs the log), and after every <see cref="Heartbeats"/> heartbeats a checkpoint runs
/// on a connection of its own, in two passes. The first copies the log and syncs the database file while batches go on.
/// The second holds the next batch back while it copies the few pages written meanwhile, so that the whole log is in
/// the database file and the next batch writes the log again from its start instead of making it longer. Every other
/// write (registrations, sweeps) checkpoints in its own commit as before.</para></summary>
internal sealed class SqliteCheckpoints(ILogger<SqliteCheckpoints> logger) : IAsyncDisposable
{
    /// <summary>Heartbeats between two checkpoints: each changes at most three pages (its worker, its history slot and
    /// that slot's key), so a checkpoint starts with at most some 750 pages in the log.</summary>
    public const int Heartbeats = 250;

    // A heartbeat batch's commit checkpoints itself only once the log has passed this many pages anyway, which happens only
    // when the checkpoints here fail; SQLite's default, which the connection goes back to the pool with, is 1,000.
    private const int BackstopPages = 10_000;
    private const int DefaultPages = 1000;

    private readonly SemaphoreSlim _batch = new(1, 1);
    private int _sinceLast;
    private Task _checkpoint = Task.CompletedTask;

    /// <summary>The checkpoint started last, completed when none is running.</summary>
    public Task Current => _checkpoint;

    /// <summary>Runs one batch's <paramref name="write"/> of <paramref name="heartbeats"/> heartbeats on the context's
    /// connection without the commit's checkpoint, then starts a checkpoint beside the next batches when one is due.
    /// Called by the group commit's one write loop, never concurrently.</summary>
    public async Task<T> WriteAsync<T>(WorkerFleetDbContext db, int heartbeats, Func<Task<T>> write, CancellationToken cancellationToken)
    {
        T written;
        await _batch.WaitAsync(cancellationToken);
        try
        {
            // Opened here, so the setting and the batch's transaction are on the same connection.
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync($"PRAGMA wal_autocheckpoint = {BackstopPages}", cancellationToken);
                written = await write();
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"PRAGMA wal_autocheckpoint = {DefaultPages}", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
        finally
        {
            _batch.Release();
        }

        _sinceLast += heartbeats;
        if (_sinceLast >= Heartbeats && _checkpoint.IsCompleted)
        {
            _sinceLast = 0;
            var connectionString = db.Database.GetConnectionString()!;
            _checkpoint = Task.Run(() => CheckpointAsync(connectionString), CancellationToken.None);
        }

        return written;
    }

    public async ValueTask DisposeAsync()
    {
        await _checkpoint;
        _batch.Dispose();
    }

    private async Task CheckpointAsync(string connectionString)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await checkpoint.ExecuteNonQueryAsync();
            await _batch.WaitAsync();
            try
            {
                await checkpoint.ExecuteNonQueryAsync();
            }
            finally
            {
                _batch.Release();
            }
        }
        catch (SqliteException exception)
        {
            // Nothing is lost: the log keeps every commit until a later checkpoint, or the backstop, copies it.
            logger.LogWarning(exception, "Checkpointing the SQLite write-ahead log failed");
        }
    }
}
