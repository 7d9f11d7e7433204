using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>Storage of heartbeats: the worker's last heartbeat and its bounded history.</summary>
public interface IHeartbeatStore
{
    /// <summary>Records a heartbeat in constant time whatever the history size, keeping only the newest
    /// <paramref name="historySize"/>, if the worker's current token has <paramref name="tokenHash"/> — checked in the
    /// same statement as the write, so a token rotated out a moment ago records nothing. Returns the worker's
    /// (unchanged) status, or null when no worker with that id holds that token.</summary>
    Task<WorkerStatus?> RecordAsync(WorkerId id, string tokenHash, DateTimeOffset receivedAt, int historySize, CancellationToken cancellationToken);

    /// <summary>The newest retained heartbeats, newest first; null when the worker is not registered.</summary>
    Task<IReadOnlyList<DateTimeOffset>?> GetHistoryAsync(WorkerId id, int limit, int historySize, CancellationToken cancellationToken);
}
