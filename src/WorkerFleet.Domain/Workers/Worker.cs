namespace WorkerFleet.Domain.Workers;

/// <summary>A registered worker. Status changes only through the lifecycle rules in <see cref="WorkerLifecycle"/>.</summary>
public sealed class Worker
{
    private Worker(WorkerId id, WorkerConfiguration configuration, WorkerStatus status, DateTimeOffset registeredAt,
        DateTimeOffset? lastHeartbeatAt, long heartbeatsRecorded, long version, string? tokenHash, bool schedulable)
    {
        TokenHash = tokenHash;
        Schedulable = schedulable;
        Id = id;
        Configuration = configuration;
        Status = status;
        RegisteredAt = registeredAt;
        LastHeartbeatAt = lastHeartbeatAt;
        HeartbeatsRecorded = heartbeatsRecorded;
        Version = version;
    }

    /// <summary>The worker's id.</summary>
    public WorkerId Id { get; }

    /// <summary>What the worker declared when it registered.</summary>
    public WorkerConfiguration Configuration { get; }

    /// <summary>Where the worker is in its lifecycle.</summary>
    public WorkerStatus Status { get; private set; }

    /// <summary>When it registered (UTC).</summary>
    public DateTimeOffset RegisteredAt { get; }

    /// <summary>Its newest heartbeat (UTC), or null when it never sent one.</summary>
    public DateTimeOffset? LastHeartbeatAt { get; }

    /// <summary>How many heartbeats the worker has sent since it registered, retained or not.</summary>
    public long HeartbeatsRecorded { get; }

    /// <summary>Increases with every status change; storage uses it as the concurrency token.</summary>
    public long Version { get; private set; }

    /// <summary>The <see cref="WorkerToken.Hash"/> of the worker's current token; null for a worker registered before
    /// tokens existed, until an operator issues it one.</summary>
    public string? TokenHash { get; }

    /// <summary>Whether selections for scheduling may pick it. An operator takes a worker out (cordons it) without
    /// failing it; the lifecycle rules ignore it. A new worker is schedulable.</summary>
    public bool Schedulable { get; }

    /// <summary>A newly registered worker: Pending, without heartbeats.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="configuration">What it declares about itself.</param>
    /// <param name="now">The registration time.</param>
    /// <param name="token">The token issued to it.</param>
    /// <returns>The new worker.</returns>
    public static Worker Register(WorkerId id, WorkerConfiguration configuration, DateTimeOffset now, WorkerToken token) =>
        new(id, configuration, WorkerStatus.Pending, now, lastHeartbeatAt: null, heartbeatsRecorded: 0, version: 0, token.Hash, schedulable: true);

    /// <summary>Rebuilds a worker from storage, exactly as it was saved.</summary>
    /// <param name="id">Its id.</param>
    /// <param name="configuration">Its configuration.</param>
    /// <param name="status">Its status.</param>
    /// <param name="registeredAt">When it registered.</param>
    /// <param name="lastHeartbeatAt">Its newest heartbeat, or null.</param>
    /// <param name="heartbeatsRecorded">How many heartbeats it has sent.</param>
    /// <param name="version">Its stored version.</param>
    /// <param name="tokenHash">The hash of its current token, or null.</param>
    /// <param name="schedulable">Whether it is schedulable.</param>
    /// <returns>The worker.</returns>
    public static Worker Restore(WorkerId id, WorkerConfiguration configuration, WorkerStatus status, DateTimeOffset registeredAt,
        DateTimeOffset? lastHeartbeatAt, long heartbeatsRecorded, long version, string? tokenHash, bool schedulable) =>
        new(id, configuration, status, registeredAt, lastHeartbeatAt, heartbeatsRecorded, version, tokenHash, schedulable);

    /// <summary>Applies a transition if the state machine allows it for that trigger.</summary>
    /// <param name="next">The wanted status.</param>
    /// <param name="trigger">Who asks for it.</param>
    /// <returns>Null when applied; <see cref="InvalidStateTransition"/> when refused (nothing changes).</returns>
    public WorkerError? TransitionTo(WorkerStatus next, TransitionTrigger trigger)
    {
        if (!WorkerLifecycle.IsLegal(Status, next, trigger))
        {
            return new InvalidStateTransition(Id, Status, next);
        }

        Status = next;
        Version++;
        return null;
    }
}
