using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Benchmarks;

/// <summary>Storage that accepts every heartbeat at once, so a figure is everything on the path but the database.</summary>
internal sealed class InstantStorage : IHeartbeatStore, IWorkerRepository
{
    // One completed task for every call: the stub allocates nothing, so the allocations measured are the caller's.
    private static readonly Task<WorkerStatus?> Active = Task.FromResult<WorkerStatus?>(WorkerStatus.Active);

    public Task<WorkerStatus?> RecordAsync(
        WorkerId id, string tokenHash, DateTimeOffset receivedAt, int historySize, CancellationToken cancellationToken) => Active;

    // Nothing below is on the path of an accepted heartbeat; a call means the benchmark measures something else.
    public Task<IReadOnlyList<DateTimeOffset>?> GetHistoryAsync(WorkerId id, int limit, int historySize, CancellationToken cancellationToken) =>
        throw OffThePath();

    public Task<bool> TryAddAsync(Worker worker, string actor, CancellationToken cancellationToken) => throw OffThePath();

    public Task<Worker?> FindAsync(WorkerId id, CancellationToken cancellationToken) => throw OffThePath();

    public Task<WorkerId?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken) => throw OffThePath();

    public Task<IReadOnlyList<TokenHolder>> ListTokenHoldersAsync(int take, CancellationToken cancellationToken) => throw OffThePath();

    public Task<bool> RemoveAsync(WorkerId id, string? tokenHash, Change change, CancellationToken cancellationToken) => throw OffThePath();

    public Task<bool> TryReplaceTokenAsync(WorkerId id, string tokenHash, Change change, CancellationToken cancellationToken) => throw OffThePath();

    public Task<bool> TrySaveStatusAsync(Worker worker, long expectedVersion, WorkerStatus from, Change change, CancellationToken cancellationToken) => throw OffThePath();

    public Task<bool> TrySetSchedulableAsync(WorkerId id, bool schedulable, string? reason, Change change, CancellationToken cancellationToken) =>
        throw OffThePath();

    public Task<IReadOnlyList<WorkerId>> ApplySweepAsync(LifecycleSweep sweep, DateTimeOffset cutoff, Change change, CancellationToken cancellationToken) =>
        throw OffThePath();

    public Task<int> CountAsync(WorkerStatus status, CancellationToken cancellationToken) => throw OffThePath();

    public Task<IReadOnlyDictionary<WorkerStatus, int>> CountByStatusAsync(CancellationToken cancellationToken) => throw OffThePath();

    public Task<int> CountSweepCandidatesAsync(LifecycleSweep sweep, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        throw OffThePath();

    public Task<IReadOnlyList<Worker>> ListAsync(WorkerSelection selection, WorkerId? after, int take, CancellationToken cancellationToken) =>
        throw OffThePath();

    private static NotSupportedException OffThePath() => new("not on the path of an accepted heartbeat");
}

/// <summary>A batch writer that accepts every heartbeat of a batch without a database: what is left of a batch's cost
/// is the group commit's queueing, its scope and DbContext, and answering the callers.</summary>
internal sealed class InstantBatchWriter : IBatchWriter<HeartbeatWrite, WorkerStatus?>
{
    public Task<IReadOnlyList<WorkerStatus?>> WriteAsync(
        WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken)
    {
        var answers = new WorkerStatus?[batch.Count];
        Array.Fill(answers, WorkerStatus.Active);
        return Task.FromResult<IReadOnlyList<WorkerStatus?>>(answers);
    }
}
