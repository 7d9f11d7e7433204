using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>One heartbeat waiting for its batch: what to write, and the caller waiting for the commit.</summary>
internal sealed class PendingHeartbeat(WorkerId id, string tokenHash, DateTime receivedAt, int historySize)
{
    private readonly TaskCompletionSource<WorkerStatus?> _committed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerId Id { get; } = id;

    public string TokenHash { get; } = tokenHash;

    /// <summary>UTC.</summary>
    public DateTime ReceivedAt { get; } = receivedAt;

    public int HistorySize { get; } = historySize;

    /// <summary>Completes after the batch holding this heartbeat committed (or failed): the worker's status, or null
    /// when no worker with that id holds that token.</summary>
    public Task<WorkerStatus?> Committed => _committed.Task;

    public void Answer(WorkerStatus? status) => _committed.TrySetResult(status);

    public void Fail(Exception exception) => _committed.TrySetException(exception);
}

/// <summary>Writes a batch of heartbeats in one transaction of the provider's database, set-based where the provider
/// allows it. Every heartbeat is checked against its worker's current token by the statement that writes it.</summary>
internal interface IHeartbeatBatchWriter
{
    /// <summary>Writes the batch and commits it; the answers are in batch order, null for a refused heartbeat.
    /// Throws when nothing was committed.</summary>
    Task<IReadOnlyList<WorkerStatus?>> WriteAsync(WorkerFleetDbContext db, IReadOnlyList<PendingHeartbeat> batch, CancellationToken cancellationToken);
}
