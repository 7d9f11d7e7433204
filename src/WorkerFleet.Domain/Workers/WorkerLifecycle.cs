namespace WorkerFleet.Domain.Workers;

/// <summary>Who moves a worker from one status to another.</summary>
public enum TransitionTrigger
{
    Activation,
    StaleDetection,
    Reactivation,
    Operator,
}

/// <summary>The heartbeat a scheduled transition requires, relative to a cutoff of now − heartbeat timeout.</summary>
public enum HeartbeatRequirement
{
    /// <summary>The last heartbeat is at or after the cutoff.</summary>
    Recent,

    /// <summary>There is no heartbeat at or after the cutoff.</summary>
    Stale,
}

/// <summary>A scheduled, set-based transition: every worker in <see cref="From"/> whose heartbeat meets
/// <see cref="Requirement"/> moves to <see cref="To"/>.</summary>
public sealed record LifecycleSweep(TransitionTrigger Trigger, WorkerStatus From, WorkerStatus To, HeartbeatRequirement Requirement)
{
    public static readonly LifecycleSweep Activation =
        new(TransitionTrigger.Activation, WorkerStatus.Pending, WorkerStatus.Active, HeartbeatRequirement.Recent);

    public static readonly LifecycleSweep StaleDetection =
        new(TransitionTrigger.StaleDetection, WorkerStatus.Active, WorkerStatus.Offline, HeartbeatRequirement.Stale);

    public static readonly LifecycleSweep Reactivation =
        new(TransitionTrigger.Reactivation, WorkerStatus.Offline, WorkerStatus.Active, HeartbeatRequirement.Recent);
}

/// <summary>The worker state machine: the only place that says which transitions are legal.</summary>
public static class WorkerLifecycle
{
    private static readonly HashSet<(WorkerStatus From, WorkerStatus To, TransitionTrigger Trigger)> Legal =
    [
        (LifecycleSweep.Activation.From, LifecycleSweep.Activation.To, TransitionTrigger.Activation),
        (LifecycleSweep.StaleDetection.From, LifecycleSweep.StaleDetection.To, TransitionTrigger.StaleDetection),
        (LifecycleSweep.Reactivation.From, LifecycleSweep.Reactivation.To, TransitionTrigger.Reactivation),
        (WorkerStatus.Pending, WorkerStatus.Failed, TransitionTrigger.Operator),
        (WorkerStatus.Active, WorkerStatus.Failed, TransitionTrigger.Operator),
        (WorkerStatus.Offline, WorkerStatus.Failed, TransitionTrigger.Operator),
    ];

    public static bool IsLegal(WorkerStatus from, WorkerStatus to, TransitionTrigger trigger) =>
        Legal.Contains((from, to, trigger));

    /// <summary>Whether a heartbeat at <paramref name="lastHeartbeatAt"/> counts as recent at the cutoff.</summary>
    public static bool IsRecent(DateTimeOffset? lastHeartbeatAt, DateTimeOffset cutoff) =>
        lastHeartbeatAt is { } at && at >= cutoff;

    /// <summary>Whether a worker in <paramref name="status"/> with that heartbeat is one the sweep moves.</summary>
    public static bool Matches(this LifecycleSweep sweep, WorkerStatus status, DateTimeOffset? lastHeartbeatAt, DateTimeOffset cutoff) =>
        status == sweep.From
        && IsRecent(lastHeartbeatAt, cutoff) == (sweep.Requirement == HeartbeatRequirement.Recent);
}
