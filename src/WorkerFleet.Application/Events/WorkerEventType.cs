namespace WorkerFleet.Application.Events;

/// <summary>What an event records.</summary>
public enum WorkerEventType
{
    /// <summary>The worker registered; it is Pending.</summary>
    Registered,

    /// <summary>The worker's status changed, by a scheduled job or an operator.</summary>
    StatusChanged,

    /// <summary>The worker was issued a new token; the previous one stopped working.</summary>
    TokenRotated,

    /// <summary>The worker was removed with its heartbeat history.</summary>
    Unregistered,

    /// <summary>An operator took the worker out of scheduling; its status is unchanged.</summary>
    Cordoned,

    /// <summary>An operator returned the worker to scheduling.</summary>
    Uncordoned,
}
