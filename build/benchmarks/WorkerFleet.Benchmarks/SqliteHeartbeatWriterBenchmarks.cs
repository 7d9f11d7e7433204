using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Benchmarks;

/// <summary>The real SQLite batch writer on a migrated SQLite file (WAL, the service's settings): what a heartbeat
/// costs when it shares its transaction, and so its commit, with 0, 63 or 511 others.</summary>
[MemoryDiagnoser]
public class SqliteHeartbeatWriterBenchmarks
{
    // One heartbeat per worker per invocation, in batches of BatchSize, so the mean is per heartbeat.
    private const int Workers = 512;

    private readonly int _historySize = new LifecycleOptions().HeartbeatHistorySize;
    private TemporarySqlite _database = null!;
    private ServiceProvider _services = null!;
    private IBatchWriter<HeartbeatWrite, WorkerStatus?> _writer = null!;
    private (WorkerId Id, string TokenHash)[] _workers = null!;

    /// <summary>Heartbeats per transaction.</summary>
    [Params(1, 64, 512)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public async Task SetUp()
    {
        _database = new TemporarySqlite();
        _services = await _database.MigratedServicesAsync();
        _writer = _services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>();

        var configuration = new WorkerConfiguration("us-east-1", 10, ["compute"], new Dictionary<string, string>());
        _workers = new (WorkerId, string)[Workers];
        for (var i = 0; i < Workers; i++)
        {
            var token = WorkerToken.Issue();
            var worker = Worker.Register(WorkerId.From($"worker-{i:D4}"), configuration, DateTimeOffset.UtcNow, token);
            await using var scope = _services.CreateAsyncScope();
            if (!await scope.ServiceProvider.GetRequiredService<IWorkerRepository>().TryAddAsync(worker, "benchmark", CancellationToken.None))
            {
                throw new InvalidOperationException($"{worker.Id} is already registered");
            }

            _workers[i] = (worker.Id, token.Hash);
        }
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Workers)]
    public async Task WriteBatches()
    {
        var receivedAt = DateTime.UtcNow;
        var batch = new List<HeartbeatWrite>(BatchSize);
        for (var first = 0; first < Workers; first += BatchSize)
        {
            batch.Clear();
            for (var i = first; i < first + BatchSize; i++)
            {
                batch.Add(new HeartbeatWrite(_workers[i].Id, _workers[i].TokenHash, receivedAt, _historySize));
            }

            // As the group commit writes a batch: in a DI scope, and so with a DbContext, of its own.
            await using var scope = _services.CreateAsyncScope();
            var answers = await _writer.WriteAsync(
                scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>(), batch, CancellationToken.None);
            if (answers[0] is null)
            {
                // A refused heartbeat writes nothing: the figure would be of the token check alone.
                throw new InvalidOperationException($"The heartbeat of {batch[0].Id} was refused");
            }
        }
    }
}
