using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>Both storage ports in memory, honouring their documented contracts. It keeps its own copies of the
/// workers, so a handler changing a worker it read changes nothing until it saves. Like real storage it holds only
/// token hashes, and checks a token under the same lock as the write it guards.</summary>
public sealed class InMemoryWorkerStore : IWorkerRepository, IHeartbeatStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredWorker> _workers = new(StringComparer.Ordinal);
    private readonly List<LifecycleSweep> _appliedSweeps = [];
    private int _calls;

    /// <summary>When set, every call throws it, as a storage outage or bug would.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Runs before each compare-and-set save, as a writer racing the caller would.</summary>
    public Func<Task>? BeforeStatusSave { get; set; }

    /// <summary>How many calls reached the store.</summary>
    public int Calls => Volatile.Read(ref _calls);

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

    public Task<bool> TryAddAsync(Worker worker, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            return Task.FromResult(_workers.TryAdd(worker.Id.Value, new StoredWorker(Copy(worker))));
        }
    }

    public Task<Worker?> FindAsync(WorkerId id, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            return Task.FromResult(_workers.TryGetValue(id.Value, out var stored) ? Copy(stored.Worker) : null);
        }
    }

    public Task<WorkerId?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            var holder = _workers.Values.FirstOrDefault(s => HasToken(s.Worker, tokenHash));
            return Task.FromResult(holder?.Worker.Id);
        }
    }

    public Task<bool> RemoveAsync(WorkerId id, string? tokenHash, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            var removable = _workers.TryGetValue(id.Value, out var stored) && (tokenHash is null || HasToken(stored.Worker, tokenHash));
            return Task.FromResult(removable && _workers.Remove(id.Value));
        }
    }

    public Task<bool> TryReplaceTokenAsync(WorkerId id, string tokenHash, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            if (!_workers.TryGetValue(id.Value, out var stored))
            {
                return Task.FromResult(false);
            }

            var w = stored.Worker;
            stored.Worker = Worker.Restore(w.Id, w.Configuration, w.Status, w.RegisteredAt, w.LastHeartbeatAt,
                w.HeartbeatsRecorded, w.Version, tokenHash);
            return Task.FromResult(true);
        }
    }

    public async Task<bool> TrySaveStatusAsync(Worker worker, long expectedVersion, CancellationToken cancellationToken)
    {
        Enter();
        if (BeforeStatusSave is { } race)
        {
            await race();
        }

        lock (_gate)
        {
            if (!_workers.TryGetValue(worker.Id.Value, out var stored) || stored.Worker.Version != expectedVersion)
            {
                return false;
            }

            var current = stored.Worker;
            stored.Worker = Worker.Restore(current.Id, current.Configuration, worker.Status, current.RegisteredAt,
                current.LastHeartbeatAt, current.HeartbeatsRecorded, worker.Version, current.TokenHash);
            return true;
        }
    }

    public Task<IReadOnlyList<WorkerId>> ApplySweepAsync(LifecycleSweep sweep, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            _appliedSweeps.Add(sweep);
            var moved = new List<WorkerId>();
            foreach (var stored in _workers.Values)
            {
                if (stored.Worker.Apply(sweep, cutoff))
                {
                    moved.Add(stored.Worker.Id);
                }
            }

            return Task.FromResult<IReadOnlyList<WorkerId>>(moved);
        }
    }

    public Task<int> CountAsync(WorkerStatus status, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            return Task.FromResult(_workers.Values.Count(stored => stored.Worker.Status == status));
        }
    }

    public Task<IReadOnlyDictionary<WorkerStatus, int>> CountByStatusAsync(CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyDictionary<WorkerStatus, int>>(
                _workers.Values.GroupBy(stored => stored.Worker.Status).ToDictionary(g => g.Key, g => g.Count()));
        }
    }

    public Task<int> CountSweepCandidatesAsync(LifecycleSweep sweep, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            return Task.FromResult(_workers.Values.Count(stored => sweep.Matches(stored.Worker.Status, stored.Worker.LastHeartbeatAt, cutoff)));
        }
    }

    public Task<IReadOnlyList<Worker>> ListAsync(
        WorkerStatus? status, string? idPrefix, WorkerId? after, int take, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            IReadOnlyList<Worker> page = _workers.Values
                .Select(s => s.Worker)
                .Where(w => status is null || w.Status == status)
                .Where(w => idPrefix is null || w.Id.Value.StartsWith(idPrefix, StringComparison.Ordinal))
                .Where(w => after is null || string.CompareOrdinal(w.Id.Value, after.Value.Value) > 0)
                .Take(take)
                .Select(Copy)
                .ToList();
            return Task.FromResult(page);
        }
    }

    public Task<WorkerStatus?> RecordAsync(
        WorkerId id, string tokenHash, DateTimeOffset receivedAt, int historySize, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            if (!_workers.TryGetValue(id.Value, out var stored) || !HasToken(stored.Worker, tokenHash))
            {
                return Task.FromResult<WorkerStatus?>(null);
            }

            stored.Worker.RecordHeartbeat(receivedAt);
            stored.History.AddFirst(receivedAt);
            while (stored.History.Count > historySize)
            {
                stored.History.RemoveLast();
            }

            return Task.FromResult<WorkerStatus?>(stored.Worker.Status);
        }
    }

    public Task<IReadOnlyList<DateTimeOffset>?> GetHistoryAsync(WorkerId id, int limit, int historySize, CancellationToken cancellationToken)
    {
        Enter();
        lock (_gate)
        {
            IReadOnlyList<DateTimeOffset>? history = _workers.TryGetValue(id.Value, out var stored)
                ? stored.History.Take(Math.Min(limit, historySize)).ToList()
                : null;
            return Task.FromResult(history);
        }
    }

    private static Worker Copy(Worker w) =>
        Worker.Restore(w.Id, w.Configuration, w.Status, w.RegisteredAt, w.LastHeartbeatAt, w.HeartbeatsRecorded, w.Version, w.TokenHash);

    /// <summary>Whether the worker's current token has that hash; a worker without a token has none.</summary>
    private static bool HasToken(Worker worker, string tokenHash) =>
        worker.TokenHash is { } current && string.Equals(current, tokenHash, StringComparison.Ordinal);

    private void Enter()
    {
        Interlocked.Increment(ref _calls);
        if (Failure is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>A worker and its heartbeat history, newest first.</summary>
    private sealed class StoredWorker(Worker worker)
    {
        public Worker Worker { get; set; } = worker;

        public LinkedList<DateTimeOffset> History { get; } = new();
    }
}
