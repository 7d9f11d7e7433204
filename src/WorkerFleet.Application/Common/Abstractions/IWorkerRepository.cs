using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>Storage of workers. Implementations throw only for storage failures, never for expected outcomes. Each
/// change appends its event to the journal (see <see cref="IEventJournal"/>) in the same transaction, and only when
/// it changed something.</summary>
public interface IWorkerRepository
{
    /// <summary>Adds a new worker, registered by <paramref name="actor"/>; false when the id is already registered.</summary>
    Task<bool> TryAddAsync(Worker worker, string actor, CancellationToken cancellationToken);

    /// <summary>The worker with that id, or null when it is not registered.</summary>
    Task<Worker?> FindAsync(WorkerId id, CancellationToken cancellationToken);

    /// <summary>The worker whose current token has this hash, or null when no worker's does.</summary>
    Task<WorkerId?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> workers with their token hashes, those with the most recent heartbeat
    /// first and those that never sent one last.</summary>
    Task<IReadOnlyList<TokenHolder>> ListTokenHoldersAsync(int take, CancellationToken cancellationToken);

    /// <summary>Deletes the worker and its whole heartbeat history at once; false when it was not registered or,
    /// when <paramref name="tokenHash"/> is given, its current token has another hash (checked in the same statement).</summary>
    Task<bool> RemoveAsync(WorkerId id, string? tokenHash, Change change, CancellationToken cancellationToken);

    /// <summary>Makes <paramref name="tokenHash"/> the worker's only valid token from this moment; false when it is
    /// not registered.</summary>
    Task<bool> TryReplaceTokenAsync(WorkerId id, string tokenHash, Change change, CancellationToken cancellationToken);

    /// <summary>Saves the worker's status, an operator's change, if its stored version is still
    /// <paramref name="expectedVersion"/> (compare-and-set), the version at which its status was <paramref name="from"/>;
    /// false when another change got there first or the worker is gone.</summary>
    Task<bool> TrySaveStatusAsync(Worker worker, long expectedVersion, WorkerStatus from, Change change, CancellationToken cancellationToken);

    /// <summary>Takes the worker out of scheduling or returns it, with the operator's <paramref name="reason"/> in the
    /// event; false when it is not registered or already is as asked (nothing is journaled then).</summary>
    Task<bool> TrySetSchedulableAsync(WorkerId id, bool schedulable, string? reason, Change change, CancellationToken cancellationToken);

    /// <summary>Applies a lifecycle sweep, run at <paramref name="change"/>'s time, to every matching worker in one
    /// set-based statement and returns the ids it moved. Concurrent sweeps never move the same worker twice.</summary>
    Task<IReadOnlyList<WorkerId>> ApplySweepAsync(LifecycleSweep sweep, DateTimeOffset cutoff, Change change, CancellationToken cancellationToken);

    /// <summary>The number of workers in each status that has any, counted by one statement: one consistent snapshot.</summary>
    Task<IReadOnlyDictionary<WorkerStatus, int>> CountByStatusAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> of the workers <paramref name="selection"/> matches, ordered by id
    /// (ordinal), after <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<Worker>> ListAsync(WorkerSelection selection, WorkerId? after, int take, CancellationToken cancellationToken);
}
