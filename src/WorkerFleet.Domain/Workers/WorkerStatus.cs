namespace WorkerFleet.Domain.Workers;

/// <summary>Where a worker is in its lifecycle. Only the rules in <see cref="WorkerLifecycle"/> change it.</summary>
public enum WorkerStatus
{
    /// <summary>Registered; waits for a recent heartbeat and the activation job.</summary>
    Pending,

    /// <summary>Heartbeating within the timeout.</summary>
    Active,

    /// <summary>Was active, then sent no heartbeat within the timeout; a recent heartbeat brings it back.</summary>
    Offline,

    /// <summary>Taken out of service by an operator. Terminal: unregister and register again to come back.</summary>
    Failed,
}
