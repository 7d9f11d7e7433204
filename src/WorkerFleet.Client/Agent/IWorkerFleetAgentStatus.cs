namespace WorkerFleet.Client.Agent;

/// <summary>The agent's current state, for hosts and tests; resolve it from the services. Each property is read as it
/// is at that moment, and <see cref="Changed"/> is raised after every change.</summary>
public interface IWorkerFleetAgentStatus
{
    /// <summary>The worker the agent runs as.</summary>
    string WorkerId { get; }

    /// <summary>What the agent is doing.</summary>
    WorkerFleetAgentState State { get; }

    /// <summary>The service's time of the last heartbeat it accepted from this process, or null before the first.</summary>
    DateTimeOffset? LastHeartbeatAt { get; }

    /// <summary>The worker's status as the last accepted heartbeat reported it, or null before the first.</summary>
    WorkerStatus? WorkerStatus { get; }

    /// <summary>Why the last attempt failed (status and problem type, or the network error), or null after a success.
    /// Never a credential.</summary>
    string? LastError { get; }

    /// <summary>When the agent sends its next request (or looks for a new token), or null while a request is under way.</summary>
    DateTimeOffset? NextAttemptAt { get; }

    /// <summary>Raised after any property changed, on the agent's own task: handlers should return quickly.</summary>
    event EventHandler? Changed;
}
