using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>Reads the journal of worker events. Events are written by the storage ports, each in the transaction of the
/// change it records, and their sequences become visible in order: a reader that has seen sequence n never later finds
/// an event below n that it did not see, unless retention removed it.</summary>
public interface IEventJournal
{
    /// <summary>Up to <paramref name="take"/> events with a sequence above <paramref name="after"/>, oldest first.</summary>
    Task<IReadOnlyList<WorkerEvent>> ReadAfterAsync(long after, int take, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="take"/> of the worker's events, newest first, below <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<WorkerEvent>> ReadForWorkerAsync(WorkerId id, long? before, int take, CancellationToken cancellationToken);

    /// <summary>A task that completes when this process next commits events (from the moment it is read): a follower
    /// of the journal need not wait for its next poll to see them.</summary>
    Task NextLocalAppend { get; }

    /// <summary>The journal's bounds now, read in one statement.</summary>
    Task<JournalBounds> BoundsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every event from before <paramref name="cutoff"/>, set-based, and records the highest sequence it
    /// deleted; returns how many.</summary>
    Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}

/// <summary>The bounds of the journal.</summary>
/// <param name="DeletedThrough">The highest sequence retention has deleted (0 before it first deleted any): every event
/// at or below it is gone, every event above it is kept.</param>
/// <param name="Latest">The highest sequence written (0 before the first event).</param>
public sealed record JournalBounds(long DeletedThrough, long Latest);

/// <summary>When and by whom a change is made, as its journal event records it.</summary>
/// <param name="At">The time of the change (UTC).</param>
/// <param name="Actor">Who made it: a caller's name, or the job that ran.</param>
public sealed record Change(DateTimeOffset At, string Actor);
