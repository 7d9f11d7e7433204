using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure;

namespace WorkerFleet.Benchmarks;

/// <summary>Configuration that points SQLite storage at a file in a temp directory of its own, deleted on dispose.</summary>
internal sealed class TemporarySqlite : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("workerfleet-bench-");

    public IConfiguration Configuration => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkerFleet:Storage:SqlitePath"] = Path.Combine(_directory.FullName, "workerfleet.db"),
        })
        .Build();

    /// <summary>The Infrastructure layer's services on this file, migrated as the service migrates it at start (so in WAL
    /// mode).</summary>
    public async Task<ServiceProvider> MigratedServicesAsync()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddWorkerFleetInfrastructure(Configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await services.MigrateWorkerFleetStorageAsync();
        return services;
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; the directory cannot go while they do.
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
