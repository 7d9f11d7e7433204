using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>A migrated database of one provider that holds only what the migrations seed, wired exactly as the service
/// wires it: a temp SQLite file, or on the PostgreSQL server named by WORKERFLEET_TEST_POSTGRES the database this test
/// process shares (<see cref="SharedPostgresDatabase"/>), emptied, or a new one of the test's own.</summary>
internal sealed class TestStorage : IAsyncDisposable
{
    public const string PostgresVariable = "WORKERFLEET_TEST_POSTGRES";

    private readonly IConfiguration _configuration;
    private readonly Func<Task> _cleanUp;

    private TestStorage(IConfiguration configuration, Func<Task> cleanUp)
    {
        _configuration = configuration;
        Services = NewInstance();
        _cleanUp = cleanUp;
    }

    public ServiceProvider Services { get; }

    /// <param name="provider">The provider to store on.</param>
    /// <param name="ownDatabase">On PostgreSQL, a new database for this test alone rather than the shared one: for a test
    /// that alters a table, or reads statistics that TRUNCATE does not reset (pg_stat counters), at the cost of a CREATE
    /// DATABASE and the migrations. A SQLite test has a file of its own either way.</param>
    public static async Task<TestStorage> CreateAsync(StorageProvider provider, bool ownDatabase = false)
    {
        if (provider == StorageProvider.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("workerfleet-storage-").FullName;
            var sqlite = new TestStorage(Configuration(provider, "WorkerFleet:Storage:SqlitePath", Path.Combine(directory, "workerfleet.db")), () =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
                return Task.CompletedTask;
            });
            await sqlite.Services.MigrateWorkerFleetStorageAsync();
            return sqlite;
        }

        var server = PostgresServer();
        if (!ownDatabase)
        {
            return new TestStorage(PostgresConfiguration(await SharedPostgresDatabase.EmptiedAsync(server)), SharedPostgresDatabase.CheckUnalteredAsync);
        }

        var database = await CreatePostgresDatabaseAsync(server);
        return new TestStorage(PostgresConfiguration(PostgresConnectionString(server, database)), () => DropPostgresDatabaseAsync(server, database));
    }

    /// <summary>The connection string of the PostgreSQL server the tests run on, from <see cref="PostgresVariable"/>.</summary>
    public static string PostgresServer()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Fail($"{PostgresVariable} is not set. Run the tests with `bash build/test.sh`, which starts a throwaway " +
                $"PostgreSQL, or set {PostgresVariable} to a connection string of a PostgreSQL 15 server you may create databases on.");
        }

        return server!;
    }

    /// <summary>Creates a database named with a GUID on <paramref name="server"/> and migrates it as the service does at
    /// start-up; returns its name.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync(string server)
    {
        var database = "workerfleet_test_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(server, $"CREATE DATABASE {database}");
        await using var services = NewServices(PostgresConfiguration(PostgresConnectionString(server, database)));
        await services.MigrateWorkerFleetStorageAsync();
        return database;
    }

    /// <summary>Drops <paramref name="database"/>, after closing the pooled connections to it.</summary>
    public static async Task DropPostgresDatabaseAsync(string server, string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE {database} WITH (FORCE)");
    }

    public static string PostgresConnectionString(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    /// <summary>The services of another instance of the service on the same database, as a cluster runs them: its own
    /// pools and group commits. The caller disposes it.</summary>
    public ServiceProvider NewInstance() => NewServices(_configuration);

    /// <summary>Runs <paramref name="action"/> with a service from its own DI scope, as one request would.</summary>
    public async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Migrates the schema, up or down, to the migration <paramref name="target"/>, or with null to the latest.</summary>
    public async Task MigrateAsync(string? target) =>
        await InScopeAsync<WorkerFleetDbContext, bool>(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync(target);
            return true;
        });

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _cleanUp();
    }

    private static ServiceProvider NewServices(IConfiguration configuration) => new ServiceCollection()
        .AddLogging()
        .AddWorkerFleetInfrastructure(configuration)
        .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

    private static IConfiguration PostgresConfiguration(string connectionString) =>
        Configuration(StorageProvider.Postgres, "ConnectionStrings:WorkerFleet", connectionString);

    private static IConfiguration Configuration(StorageProvider provider, string key, string value) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["WorkerFleet:Storage:Provider"] = provider.ToString(), [key] = value })
        .Build();

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
