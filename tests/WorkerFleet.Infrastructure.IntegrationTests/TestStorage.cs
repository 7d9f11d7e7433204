using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>A fresh, migrated database of one provider, wired exactly as the service wires it: a temp SQLite
/// file, or a new database on the PostgreSQL server named by WORKERFLEET_TEST_POSTGRES.</summary>
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

    public static async Task<TestStorage> CreateAsync(StorageProvider provider)
    {
        var settings = new Dictionary<string, string?> { ["WorkerFleet:Storage:Provider"] = provider.ToString() };
        Func<Task> dropDatabase;
        if (provider == StorageProvider.Postgres)
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(server))
            {
                Assert.Fail($"{PostgresVariable} is not set. Run the tests with `bash build/test.sh`, which starts a throwaway " +
                    $"PostgreSQL, or set {PostgresVariable} to a connection string of a PostgreSQL 15 server you may create databases on.");
            }

            var database = "workerfleet_test_" + Guid.NewGuid().ToString("N");
            await ExecuteAsync(server!, $"CREATE DATABASE {database}");
            settings["ConnectionStrings:WorkerFleet"] = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            dropDatabase = () => ExecuteAsync(server!, $"DROP DATABASE {database} WITH (FORCE)");
        }
        else
        {
            var directory = Directory.CreateTempSubdirectory("workerfleet-storage-").FullName;
            settings["WorkerFleet:Storage:SqlitePath"] = Path.Combine(directory, "workerfleet.db");
            dropDatabase = () =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(directory, recursive: true);
                return Task.CompletedTask;
            };
        }

        var storage = new TestStorage(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), dropDatabase);
        await storage.Services.MigrateWorkerFleetStorageAsync();
        return storage;
    }

    /// <summary>The services of another instance of the service on the same database, as a cluster runs them: its own
    /// pools and group commits. The caller disposes it.</summary>
    public ServiceProvider NewInstance() => new ServiceCollection()
        .AddLogging()
        .AddWorkerFleetInfrastructure(_configuration)
        .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

    /// <summary>Runs <paramref name="action"/> with a service from its own DI scope, as one request would.</summary>
    public async Task<TResult> InScopeAsync<TService, TResult>(Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Services.DisposeAsync();
        await _cleanUp();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
