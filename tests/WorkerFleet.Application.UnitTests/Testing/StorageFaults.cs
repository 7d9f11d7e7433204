using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>Sits between the use cases and the real storage ports: counts the calls that reach storage, records the
/// sweeps sent (stale detection's among them), and fails or races them on demand, as an outage or a concurrent writer would. Storage itself, and
/// every rule it runs, is the service's own (<see cref="TestDatabase"/>).</summary>
public sealed class StorageFaults
{
    /// <summary>The key the undecorated storage ports are registered under.</summary>
    public const string Storage = "storage";

    private readonly Lock _gate = new();
    private readonly List<LifecycleSweep> _appliedSweeps = [];
    private int _calls;
    private IServiceProvider? _services;

    /// <summary>When set, every call throws it, as a storage outage or bug would.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, sharing the grace period throws it, as an outage that begins right after a request's own
    /// statements would.</summary>
    public Exception? GraceFailure { get; set; }

    /// <summary>Runs before each compare-and-set save, as a writer racing the caller would.</summary>
    public Func<Task>? BeforeStatusSave { get; set; }

    /// <summary>How many calls reached storage.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>The sweeps sent to storage, in order.</summary>
    public IReadOnlyList<LifecycleSweep> AppliedSweeps
    {
        get
        {
            lock (_gate)
            {
                return [.. _appliedSweeps];
            }
        }
    }

    /// <summary>Decorates the storage ports of <paramref name="services"/>; their implementations stay reachable under
    /// <see cref="Storage"/>, for <see cref="DirectlyAsync"/>.</summary>
    public IServiceCollection Decorate(IServiceCollection services)
    {
        MoveUnderKey<IWorkerRepository>(services);
        MoveUnderKey<IHeartbeatStore>(services);
        MoveUnderKey<ILifecycleControl>(services);
        return services
            .AddScoped<IWorkerRepository>(provider => new Repository(provider.GetRequiredKeyedService<IWorkerRepository>(Storage), this))
            .AddScoped<IHeartbeatStore>(provider => new Heartbeats(provider.GetRequiredKeyedService<IHeartbeatStore>(Storage), this))
            .AddScoped<ILifecycleControl>(provider => new Control(provider.GetRequiredKeyedService<ILifecycleControl>(Storage), this));
    }

    /// <summary>The instance whose storage <see cref="DirectlyAsync"/> reaches; a restart hands it to the next one.</summary>
    public void Attach(IServiceProvider services) => _services = services;

    /// <summary>Runs <paramref name="action"/> on the storage itself, past these faults and uncounted: what another
    /// writer does.</summary>
    public async Task<T> DirectlyAsync<T>(Func<IWorkerRepository, Task<T>> action)
    {
        var services = _services ?? throw new InvalidOperationException("No instance is attached.");
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredKeyedService<IWorkerRepository>(Storage));
    }

    private static void MoveUnderKey<TService>(IServiceCollection services)
    {
        var descriptor = services.Single(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        services.Remove(descriptor);
        services.Add(new ServiceDescriptor(typeof(TService), Storage, descriptor.ImplementationType!, descriptor.Lifetime));
    }

    private void Record(LifecycleSweep sweep)
    {
        lock (_gate)
        {
            _appliedSweeps.Add(sweep);
        }
    }

    private void Enter()
    {
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            throw failure;
        }
    }

    private sealed class Repository(IWorkerRepository inner, StorageFaults faults) : IWorkerRepository
    {
        public Task<bool> TryAddAsync(Worker worker, string actor, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.TryAddAsync(worker, actor, cancellationToken);
        }

        public Task<Worker?> FindAsync(WorkerId id, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.FindAsync(id, cancellationToken);
        }

        public Task<WorkerId?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.FindByTokenHashAsync(tokenHash, cancellationToken);
        }

        public Task<IReadOnlyList<TokenHolder>> ListTokenHoldersAsync(int take, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.ListTokenHoldersAsync(take, cancellationToken);
        }

        public Task<bool> RemoveAsync(WorkerId id, string? tokenHash, Change change, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.RemoveAsync(id, tokenHash, change, cancellationToken);
        }

        public Task<bool> TryReplaceTokenAsync(WorkerId id, string tokenHash, Change change, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.TryReplaceTokenAsync(id, tokenHash, change, cancellationToken);
        }

        public async Task<bool> TrySaveStatusAsync(
            Worker worker, long expectedVersion, WorkerStatus from, Change change, CancellationToken cancellationToken)
        {
            faults.Enter();
            if (faults.BeforeStatusSave is { } race)
            {
                await race();
            }

            return await inner.TrySaveStatusAsync(worker, expectedVersion, from, change, cancellationToken);
        }

        public Task<bool> TrySetSchedulableAsync(WorkerId id, bool schedulable, string? reason, Change change, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.TrySetSchedulableAsync(id, schedulable, reason, change, cancellationToken);
        }

        public Task<IReadOnlyList<WorkerId>> ApplySweepAsync(
            LifecycleSweep sweep, DateTimeOffset cutoff, Change change, CancellationToken cancellationToken)
        {
            faults.Enter();
            faults.Record(sweep);
            return inner.ApplySweepAsync(sweep, cutoff, change, cancellationToken);
        }

        public Task<IReadOnlyDictionary<WorkerStatus, int>> CountByStatusAsync(CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.CountByStatusAsync(cancellationToken);
        }

        public Task<IReadOnlyList<Worker>> ListAsync(WorkerSelection selection, WorkerId? after, int take, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.ListAsync(selection, after, take, cancellationToken);
        }
    }

    private sealed class Heartbeats(IHeartbeatStore inner, StorageFaults faults) : IHeartbeatStore
    {
        public Task<WorkerStatus?> RecordAsync(
            WorkerId id, string tokenHash, DateTimeOffset receivedAt, int historySize, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.RecordAsync(id, tokenHash, receivedAt, historySize, cancellationToken);
        }

        public Task<IReadOnlyList<DateTimeOffset>?> GetHistoryAsync(WorkerId id, int limit, int historySize, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.GetHistoryAsync(id, limit, historySize, cancellationToken);
        }
    }

    private sealed class Control(ILifecycleControl inner, StorageFaults faults) : ILifecycleControl
    {
        public Task<StaleDetectionOutcome> DetectStaleAsync(StaleDetectionRun run, CancellationToken cancellationToken)
        {
            faults.Enter();
            faults.Record(LifecycleSweep.StaleDetection);
            return inner.DetectStaleAsync(run, cancellationToken);
        }

        public Task<ControlState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.ReadAsync(now, cancellationToken);
        }

        public Task ArmOverrideAsync(MassFailureOverride armed, CancellationToken cancellationToken)
        {
            faults.Enter();
            return inner.ArmOverrideAsync(armed, cancellationToken);
        }

        public Task StartGraceAsync(DateTimeOffset startsAt, CancellationToken cancellationToken)
        {
            faults.Enter();
            if (faults.GraceFailure is { } failure)
            {
                throw failure;
            }

            return inner.StartGraceAsync(startsAt, cancellationToken);
        }
    }
}
