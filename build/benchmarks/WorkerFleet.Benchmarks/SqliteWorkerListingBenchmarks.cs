using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Benchmarks;

/// <summary>One page of 1,000 workers read through the real repository from a migrated SQLite file, in a DI scope of its
/// own as a request reads it: the query, EF Core's materialisation and the domain workers, without HTTP or JSON.</summary>
[MemoryDiagnoser]
public class SqliteWorkerListingBenchmarks
{
    private const int Workers = 1_000;

    private TemporarySqlite _database = null!;
    private ServiceProvider _services = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        _database = new TemporarySqlite();
        _services = await _database.MigratedServicesAsync();

        // As the benchmark's seeding registers them: one capability each, two for every 97th worker, no metadata.
        var registered = await Task.WhenAll(Enumerable.Range(1, Workers).Select(async i =>
        {
            string[] capabilities = i % 97 == 0 ? ["compute", "gpu"] : ["compute"];
            var worker = Worker.Register(
                WorkerId.From($"w-{i}"), new WorkerConfiguration("eu-west-1", i % 32 + 1, capabilities, new Dictionary<string, string>()),
                DateTimeOffset.UtcNow, WorkerToken.Issue());
            await using var scope = _services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IWorkerRepository>().TryAddAsync(worker, "benchmark", CancellationToken.None);
        }));
        if (registered.Any(added => !added))
        {
            throw new InvalidOperationException("A worker of the benchmark was not registered");
        }
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Benchmark]
    public async Task<int> ReadPage()
    {
        await using var scope = _services.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<IWorkerRepository>()
            .ListAsync(new WorkerSelection(WorkerStatus.Pending), after: null, take: Workers, CancellationToken.None);
        return page.Count == Workers ? page.Count : throw new InvalidOperationException($"{page.Count} workers read, not {Workers}");
    }
}
