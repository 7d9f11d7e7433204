using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Npgsql;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>What the storage does when a host starts: where the embedded database goes, the journal mode it is put in,
/// the migrations applied at start-up unless turned off, and one instance at a time migrating a shared PostgreSQL.</summary>
public class StorageStartupTests
{
    private string _contentRoot = null!;

    [SetUp]
    public void CreateContentRoot() => _contentRoot = Directory.CreateTempSubdirectory("workerfleet-content-").FullName;

    [TearDown]
    public void DeleteContentRoot()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_contentRoot, recursive: true);
    }

    [TestCase(null, "workerfleet.db")]
    [TestCase("state/fleet/workers.db", "state/fleet/workers.db")]
    public async Task The_embedded_database_is_created_under_the_content_root_with_the_directories_it_needs(string? configured, string expected)
    {
        await using var services = Services(configured is null ? [] : new() { ["WorkerFleet:Storage:SqlitePath"] = configured });

        await services.MigrateWorkerFleetStorageAsync();

        File.Exists(Path.Combine(_contentRoot, expected)).Should().BeTrue();
    }

    [Test]
    public async Task An_existing_embedded_database_in_rollback_journal_mode_is_switched_to_write_ahead_logging()
    {
        var path = Path.Combine(_contentRoot, "workerfleet.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            (await DirectSql.ScalarAsync(connection, "PRAGMA journal_mode=DELETE")).Should().Be("delete");
            await DirectSql.ScalarAsync(connection, "PRAGMA user_version=0");
        }

        await using var services = Services([]);
        await services.MigrateWorkerFleetStorageAsync();

        await using var reader = new SqliteConnection($"Data Source={path}");
        await reader.OpenAsync();
        (await DirectSql.ScalarAsync(reader, "PRAGMA journal_mode")).Should().Be("wal", "readers go on while a batch of heartbeats writes");
    }

    [TestCase(null, true)]
    [TestCase("false", false)]
    public async Task Starting_the_host_migrates_the_schema_unless_told_not_to(string? applyMigrationsOnStartup, bool migrated)
    {
        await using var services = Services(applyMigrationsOnStartup is null ? [] : new() { ["WorkerFleet:Storage:ApplyMigrationsOnStartup"] = applyMigrationsOnStartup });

        foreach (var hosted in services.GetServices<IHostedService>().OfType<StorageInitializer>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
        (await db.Database.GetPendingMigrationsAsync()).Should().HaveCount(migrated ? 0 : db.Database.GetMigrations().Count());
    }

    [TestCase(StorageProvider.Sqlite)]
    [TestCase(StorageProvider.Postgres)]
    public async Task A_raw_command_runs_with_the_configured_command_timeout(StorageProvider provider)
    {
        await using var services = Services(new()
        {
            ["WorkerFleet:Storage:Provider"] = provider.ToString(),
            ["WorkerFleet:Storage:CommandTimeout"] = "00:00:07",
            ["ConnectionStrings:WorkerFleet"] = provider == StorageProvider.Postgres ? TestStorage.PostgresServer() : null,
        });
        await using var scope = services.CreateAsyncScope();

        await using var command = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>().CreateCommand("SELECT 1");

        command.CommandTimeout.Should().Be(7);
    }

    [Test]
    public async Task Instances_migrating_one_PostgreSQL_database_take_turns_and_leave_no_lock_behind()
    {
        var server = TestStorage.PostgresServer();
        var database = await TestStorage.CreatePostgresDatabaseAsync(server);
        var connectionString = TestStorage.PostgresConnectionString(server, database);
        try
        {
            await using var otherInstance = new NpgsqlConnection(connectionString);
            await otherInstance.OpenAsync();
            await DirectSql.ExecuteAsync(otherInstance, $"SELECT pg_advisory_lock({StorageInitializer.MigrationLockKey})");
            await using var services = Services(new()
            {
                ["WorkerFleet:Storage:Provider"] = "Postgres",
                ["ConnectionStrings:WorkerFleet"] = connectionString,
            });

            var migrating = services.MigrateWorkerFleetStorageAsync();
            (await DirectSql.WaitForALockAsync(connectionString, migrating)).Should().BeTrue("the instance waits for the migration lock");
            await DirectSql.ExecuteAsync(otherInstance, $"SELECT pg_advisory_unlock({StorageInitializer.MigrationLockKey})");
            await migrating.WaitAsync(TimeSpan.FromSeconds(30));

            (await DirectSql.ScalarAsync(otherInstance, $"SELECT pg_try_advisory_lock({StorageInitializer.MigrationLockKey})"))
                .Should().Be(true, "the instance that migrated released the lock, though its connection lives on in the pool");
        }
        finally
        {
            await TestStorage.DropPostgresDatabaseAsync(server, database);
        }
    }

    private ServiceProvider Services(Dictionary<string, string?> settings) => new ServiceCollection()
        .AddLogging()
        .AddSingleton<IHostEnvironment>(new ContentRoot(_contentRoot))
        .AddWorkerFleetInfrastructure(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
        .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

    private sealed class ContentRoot(string path) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;

        public string ApplicationName { get; set; } = "WorkerFleet.Infrastructure.IntegrationTests";

        public string ContentRootPath { get; set; } = path;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
