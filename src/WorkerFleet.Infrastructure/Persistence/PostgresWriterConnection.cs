using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>A PostgreSQL connection of one group-commit writer's own, kept from batch to batch with its prepared
/// statements. A pooled connection rented for each batch is reset by Npgsql when it goes back: six more statements per
/// batch (session authorization, settings, listeners, advisory locks, sequences, temporary tables), which cost
/// PostgreSQL 7–14 µs of CPU per registration in the batches of 7 that 16 clients make (docs/performance-log.md). The
/// connection is not pooled: it is opened with the first batch from the context's connection string and dropped after a
/// batch that failed, so the next batch starts on a fresh one. Neither PostgreSQL's restart nor a proxy that closes
/// idle connections tells a client, so a connection that has not been used for <see cref="CheckAfter"/> is checked with
/// one round trip before it takes a batch, and replaced if the check fails: under load the batches follow each other
/// too closely for a check, and a restart takes longer than the wait that triggers one.</summary>
internal sealed class PostgresWriterConnection(TimeProvider timeProvider) : IAsyncDisposable, IDisposable
{
    /// <summary>How long the connection may go unused and still take the next batch unchecked.</summary>
    public static readonly TimeSpan CheckAfter = TimeSpan.FromSeconds(1);

    // One batch at a time: the group commit writes them one after another.
    private NpgsqlConnection? _connection;
    private long _lastUsed;

    /// <summary>Runs one batch's <paramref name="write"/> on the connection.</summary>
    public async Task<T> WriteAsync<T>(WorkerFleetDbContext db, Func<NpgsqlConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            if (_connection is { } idle && timeProvider.GetElapsedTime(_lastUsed) > CheckAfter && !await IsOpenAsync(idle, cancellationToken))
            {
                await DisposeAsync();
            }

            _connection ??= await OpenAsync(db, cancellationToken);
            var result = await write(_connection);
            _lastUsed = timeProvider.GetTimestamp();
            return result;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.DisposeAsync();
        }
    }

    // For a host that disposes its services synchronously.
    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static async Task<bool> IsOpenAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var check = new NpgsqlCommand("SELECT 1", connection);
            await check.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(WorkerFleetDbContext db, CancellationToken cancellationToken)
    {
        // The context's command timeout becomes the connection's, so every statement the writer sends carries it.
        var connectionString = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        if (db.Database.GetCommandTimeout() is { } seconds)
        {
            connectionString.CommandTimeout = seconds;
        }

        var connection = new NpgsqlConnection(connectionString.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
