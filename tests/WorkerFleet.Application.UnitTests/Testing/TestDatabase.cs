using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>An embedded SQLite database of its own for one test, in a temp folder: the provider the service runs on
/// by default, with the schema its migrations create. Each starts as a copy of one database migrated per test run.</summary>
public sealed class TestDatabase : IDisposable
{
    private static readonly Lazy<Task<string>> Template = new(MigrateTemplateAsync);

    private readonly string _directory;

    private TestDatabase(string directory) => _directory = directory;

    /// <summary>The settings that point the Infrastructure layer at this database.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        KeyValuePair.Create<string, string?>("WorkerFleet:Storage:Provider", "Sqlite"),
        KeyValuePair.Create<string, string?>("WorkerFleet:Storage:SqlitePath", Path.Combine(_directory, "workerfleet.db")),
    ];

    public static async Task<TestDatabase> CreateAsync()
    {
        var template = await Template.Value;
        var directory = Directory.CreateTempSubdirectory("workerfleet-application-").FullName;
        File.Copy(template, Path.Combine(directory, "workerfleet.db"));
        return new TestDatabase(directory);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Removes the template this test run migrated; called once, after the last test.</summary>
    public static async Task DeleteTemplateAsync()
    {
        if (Template.IsValueCreated && Template.Value.IsCompletedSuccessfully)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(await Template.Value)!, recursive: true);
        }
    }

    private static async Task<string> MigrateTemplateAsync()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("workerfleet-template-").FullName, "workerfleet.db");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WorkerFleet:Storage:Provider"] = "Sqlite", ["WorkerFleet:Storage:SqlitePath"] = path })
            .Build();
        await using (var services = new ServiceCollection().AddLogging().AddWorkerFleetInfrastructure(configuration).BuildServiceProvider())
        {
            await services.MigrateWorkerFleetStorageAsync();
        }

        // The schema is in the write-ahead log until a checkpoint: move it into the file the tests copy.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        await checkpoint.ExecuteNonQueryAsync();
        return path;
    }
}
