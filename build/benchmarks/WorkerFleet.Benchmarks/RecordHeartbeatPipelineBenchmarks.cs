using BenchmarkDotNet.Attributes;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkerFleet.Application;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Workers;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Benchmarks;

/// <summary>What one heartbeat costs in the process before it reaches storage: the SHA-256 of the token, the handler's
/// own work, and the MediatR pipeline around it (logging, storage-failure and validation behaviours), against storage
/// that answers at once.</summary>
[MemoryDiagnoser]
public class RecordHeartbeatPipelineBenchmarks
{
    private readonly InstantStorage _storage = new();
    private readonly TimeProvider _clock = TimeProvider.System;
    private ServiceProvider _services = null!;
    private AsyncServiceScope _scope;
    private IMediator _mediator = null!;
    private IRequestHandler<RecordHeartbeat, Result<HeartbeatReceipt>> _handler = null!;
    private IOptions<LifecycleOptions> _options = null!;
    private HeartbeatPacer _pacer = null!;
    private RecordHeartbeat _request = null!;

    [GlobalSetup]
    public async Task SetUp()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddWorkerFleetApplication(new ConfigurationBuilder().Build())
            .AddSingleton<IHeartbeatStore>(_storage)
            .AddSingleton<IWorkerRepository>(_storage)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        // One scope for the whole run, as a host that keeps a scope would; PipelineInNewScope pays for a scope per request.
        _scope = _services.CreateAsyncScope();
        _mediator = _scope.ServiceProvider.GetRequiredService<IMediator>();
        _handler = _scope.ServiceProvider.GetRequiredService<IRequestHandler<RecordHeartbeat, Result<HeartbeatReceipt>>>();
        _options = _services.GetRequiredService<IOptions<LifecycleOptions>>();
        _pacer = _services.GetRequiredService<HeartbeatPacer>();
        _request = new RecordHeartbeat("worker-1", WorkerToken.Issue().Value);

        // A refused request would measure the validation short cut, not the path of an accepted heartbeat.
        var result = await _mediator.Send(_request);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The heartbeat was refused: {result.Error}");
        }
    }

    [GlobalCleanup]
    public async Task CleanUp()
    {
        await _scope.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Benchmark]
    public string TokenHash() => WorkerToken.HashOf(_request.Token);

    /// <summary>RecordHeartbeatHandler's body written out: what a heartbeat costs with no pipeline and no DI.</summary>
    [Benchmark(Baseline = true)]
    public async Task<Result<HeartbeatReceipt>> Inline()
    {
        var id = WorkerId.From(_request.Id);
        var receivedAt = _clock.GetUtcNow();
        var status = await _storage.RecordAsync(
            id, WorkerToken.HashOf(_request.Token), receivedAt, _options.Value.HeartbeatHistorySize, CancellationToken.None);
        return new HeartbeatReceipt(id, receivedAt, status!.Value, _pacer.NextInterval());
    }

    [Benchmark]
    public Task<Result<HeartbeatReceipt>> Handler() => _handler.Handle(_request, CancellationToken.None);

    [Benchmark]
    public Task<Result<HeartbeatReceipt>> Pipeline() => _mediator.Send(_request, CancellationToken.None);

    /// <summary>As the web API sends it: a DI scope per request, in which the mediator, its behaviours, the handler and the
    /// scoped storage services are built; the validators are singletons, built once.</summary>
    [Benchmark]
    public async Task<Result<HeartbeatReceipt>> PipelineInNewScope()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(_request, CancellationToken.None);
    }
}
