namespace WorkerFleet.Domain.Workers;

/// <summary>Who moves a worker from one status to another.</summary>
public enum TransitionTrigger
{
    /// <summary>The scheduled activation job.</summary>
    Activation,

    /// <summary>The scheduled stale-detection job.</summary>
    StaleDetection,

    /// <summary>The scheduled reactivation job.</summary>
    Reactivation,

    /// <summary>A person, through a manual status change.</summary>
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
/// <param name="Trigger">The job that runs the sweep.</param>
/// <param name="From">The status the sweep takes workers out of.</param>
/// <param name="To">The status it moves them to.</param>
/// <param name="Requirement">The heartbeat a worker must (or must not) have to move.</param>
public sealed record LifecycleSweep(TransitionTrigger Trigger, WorkerStatus From, WorkerStatus To, HeartbeatRequirement Requirement)
{
    /// <summary>Pending workers with a recent heartbeat become Active.</summary>
    public static readonly LifecycleSweep Activation =
        new(TransitionTrigger.Activation, WorkerStatus.Pending, WorkerStatus.Active, HeartbeatRequirement.Recent);

    /// <summary>Active workers without a recent heartbeat become Offline.</summary>
    public static readonly LifecycleSweep StaleDetection =
        new(TransitionTrigger.StaleDetection, WorkerStatus.Active, WorkerStatus.Offline, HeartbeatRequirement.Stale);

    /// <summary>Offline workers with a recent heartbeat become Active again.</summary>
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

    /// <summary>Whether <paramref name="trigger"/> may move a worker from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The current status.</param>
    /// <param name="to">The wanted status.</param>
    /// <param name="trigger">Who asks for the change.</param>
    /// <returns>True for the six legal transitions only.</returns>
    public static bool IsLegal(WorkerStatus from, WorkerStatus to, TransitionTrigger trigger) =>
        Legal.Contains((from, to, trigger));
}
