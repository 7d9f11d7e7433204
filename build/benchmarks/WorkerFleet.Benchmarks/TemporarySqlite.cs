using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

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

    public void Dispose()
    {
        // Pooled connections keep the file open; the directory cannot go while they do.
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
