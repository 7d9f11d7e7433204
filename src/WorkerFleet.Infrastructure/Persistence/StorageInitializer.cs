using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>Creates or migrates the schema before the scheduler and the endpoints start, when configured to.</summary>
internal sealed class StorageInitializer(IServiceProvider services, IOptions<StorageOptions> options) : IHostedService
{
    // Any fixed number the database's other users do not take: "WFMIGRAT" in ASCII.
    internal const long MigrationLockKey = 0x57464D4947524154;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ApplyMigrationsOnStartup)
        {
            await MigrateAsync(services, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
        if (db.Database.IsSqlite())
        {
            // The data source is a rooted path (the content root and the configured path), so it has a directory.
            Directory.CreateDirectory(Path.GetDirectoryName(db.Database.GetDbConnection().DataSource)!);
        }

        if (db.Database.IsNpgsql())
        {
            await MigrateAloneAsync(db, cancellationToken);
        }
        else
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        if (db.Database.IsSqlite())
        {
            // Write-ahead logging lets reads go on while a heartbeat or a sweep writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }

    /// <summary>Migrates while holding a PostgreSQL advisory lock, so that instances of a cluster starting together on
    /// a new database migrate one after the other: the first applies the migrations, the others find them applied.</summary>
    private static async Task MigrateAloneAsync(WorkerFleetDbContext db, CancellationToken cancellationToken)
    {
        await using var gate = new NpgsqlConnection(db.Database.GetConnectionString());
        await gate.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", gate))
        {
            take.Parameters.AddWithValue("key", MigrationLockKey);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            // Released before the connection goes back to the pool, where the session and its locks would live on.
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", gate);
            release.Parameters.AddWithValue("key", MigrationLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
