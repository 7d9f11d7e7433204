namespace WorkerFleet.Domain.Workers;

/// <summary>A registered worker. Status changes only through the lifecycle rules in <see cref="WorkerLifecycle"/>.</summary>
public sealed class Worker
{
    private Worker(WorkerId id, WorkerConfiguration configuration, WorkerStatus status, DateTimeOffset registeredAt,
        DateTimeOffset? lastHeartbeatAt, long heartbeatsRecorded, long version)
    {
        Id = id;
        Configuration = configuration;
        Status = status;
        RegisteredAt = registeredAt;
        LastHeartbeatAt = lastHeartbeatAt;
        HeartbeatsRecorded = heartbeatsRecorded;
        Version = version;
    }

    public WorkerId Id { get; }

    public WorkerConfiguration Configuration { get; }

    public WorkerStatus Status { get; private set; }

    public DateTimeOffset RegisteredAt { get; }

    public DateTimeOffset? LastHeartbeatAt { get; private set; }

    /// <summary>How many heartbeats the worker has sent since it registered, retained or not.</summary>
    public long HeartbeatsRecorded { get; private set; }

    /// <summary>Increases with every status change; storage uses it as the concurrency token.</summary>
    public long Version { get; private set; }

    public static Worker Register(WorkerId id, WorkerConfiguration configuration, DateTimeOffset now) =>
        new(id, configuration, WorkerStatus.Pending, now, lastHeartbeatAt: null, heartbeatsRecorded: 0, version: 0);

    /// <summary>Rebuilds a worker from storage, exactly as it was saved.</summary>
    public static Worker Restore(WorkerId id, WorkerConfiguration configuration, WorkerStatus status, DateTimeOffset registeredAt,
        DateTimeOffset? lastHeartbeatAt, long heartbeatsRecorded, long version) =>
        new(id, configuration, status, registeredAt, lastHeartbeatAt, heartbeatsRecorded, version);

    /// <summary>Records a heartbeat. It never changes the status; an older timestamp never moves the last one back.</summary>
    public void RecordHeartbeat(DateTimeOffset receivedAt)
    {
        HeartbeatsRecorded++;
        if (LastHeartbeatAt is null || receivedAt > LastHeartbeatAt)
        {
            LastHeartbeatAt = receivedAt;
        }
    }

    /// <summary>Applies a transition if the state machine allows it for that trigger.</summary>
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

    /// <summary>Applies a scheduled sweep to this worker if it qualifies; returns whether it moved.</summary>
    public bool Apply(LifecycleSweep sweep, DateTimeOffset cutoff) =>
        sweep.Matches(Status, LastHeartbeatAt, cutoff) && TransitionTo(sweep.To, sweep.Trigger) is null;
}
