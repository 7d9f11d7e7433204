using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Benchmarks;

/// <summary>The group commit's own overhead: queueing a heartbeat, the write loop taking it into a batch (with the
/// batch's DI scope and DbContext) and completing the caller, with a batch writer that needs no database.</summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    // Every invocation records this many heartbeats, in waves of Callers concurrent calls, so the mean is per
    // heartbeat whatever the concurrency (OperationsPerInvoke cannot follow a parameter).
    private const int HeartbeatsPerInvocation = 1024;

    private readonly WorkerId _id = WorkerId.From("worker-1");
    private readonly string _tokenHash = WorkerToken.Issue().Hash;
    private readonly int _historySize = new LifecycleOptions().HeartbeatHistorySize;
    private TemporarySqlite _database = null!;
    private ServiceProvider _services = null!;
    private GroupCommit<HeartbeatWrite, WorkerStatus?> _batcher = null!;
    private Task<WorkerStatus?>[] _calls = null!;

    /// <summary>How many SubmitAsync calls are in flight at once.</summary>
    [Params(1, 64, 1024)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void SetUp()
    {
        // The group commit resolves a WorkerFleetDbContext per batch, so it is wired as the service wires it; the stub
        // writer never opens the SQLite file.
        _database = new TemporarySqlite();
        var services = new ServiceCollection()
            .AddLogging()
            .AddWorkerFleetInfrastructure(_database.Configuration);
        services.Replace(ServiceDescriptor.Singleton<IBatchWriter<HeartbeatWrite, WorkerStatus?>>(new InstantBatchWriter()));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _batcher = _services.GetRequiredService<GroupCommit<HeartbeatWrite, WorkerStatus?>>();
        _calls = new Task<WorkerStatus?>[Callers];
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        // Disposing the provider disposes the group commit, which ends its write loop.
        await _services.DisposeAsync();
        _database.Dispose();
    }

    [Benchmark(OperationsPerInvoke = HeartbeatsPerInvocation)]
    public async Task SubmitAsync()
    {
        var receivedAt = DateTime.UtcNow;
        for (var sent = 0; sent < HeartbeatsPerInvocation; sent += Callers)
        {
            for (var i = 0; i < Callers; i++)
            {
                _calls[i] = _batcher.SubmitAsync(new HeartbeatWrite(_id, _tokenHash, receivedAt, _historySize), CancellationToken.None);
            }

            await Task.WhenAll(_calls);
        }
    }
}
