namespace WorkerFleet.Client;

/// <summary>One change of a worker, from the service's journal.</summary>
/// <param name="Sequence">Strictly increasing in commit order, across every instance of the service.</param>
/// <param name="At">When the change committed (UTC).</param>
/// <param name="WorkerId">The worker.</param>
/// <param name="Type">What happened: <c>registered</c>, <c>status-changed</c>, <c>token-rotated</c>,
/// <c>unregistered</c>, or a type a later service adds.</param>
/// <param name="From">The status before, where it applies.</param>
/// <param name="To">The status after, where it applies.</param>
/// <param name="Trigger">For a status change: <c>activation</c>, <c>stale-detection</c>, <c>reactivation</c> or
/// <c>operator</c>; null otherwise.</param>
/// <param name="Actor">Who made the change (never a secret): the kind of key, the worker itself, or a job.</param>
/// <param name="Reason">Why, in a sentence for people.</param>
/// <param name="LastHeartbeatAt">For a scheduled status change: the worker's last heartbeat then.</param>
/// <param name="Cutoff">For a scheduled status change: the heartbeat cutoff it was measured against.</param>
public sealed record WorkerEvent(
    long Sequence,
    DateTimeOffset At,
    string WorkerId,
    string Type,
    WorkerStatus? From,
    WorkerStatus? To,
    string? Trigger,
    string Actor,
    string Reason,
    DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset? Cutoff);

/// <summary>The fleet's events after a sequence, oldest first (<c>GET /events</c>).</summary>
/// <param name="Items">The events; empty when the reader is caught up.</param>
/// <param name="NextAfter">Pass it back as <c>after</c> for the next page.</param>
/// <param name="Latest">The highest sequence written when the page was read: <c>Latest − NextAfter</c> is how far
/// behind the reader is.</param>
public sealed record EventPage(IReadOnlyList<WorkerEvent> Items, long NextAfter, long Latest);
