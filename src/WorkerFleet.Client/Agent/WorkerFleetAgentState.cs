namespace WorkerFleet.Client.Agent;

/// <summary>What the agent is doing, and so how healthy the worker is.</summary>
public enum WorkerFleetAgentState
{
    /// <summary>Not yet heard back from the service: registering, or before the first heartbeat. Degraded.</summary>
    Starting,

    /// <summary>The service accepted the last heartbeat. Healthy.</summary>
    Heartbeating,

    /// <summary>The service cannot be reached, fails, or asked the worker to wait; the agent retries. Degraded.</summary>
    BackingOff,

    /// <summary>The service refused the worker's token (rotated out or revoked); the agent sends no heartbeats until its
    /// token store yields a different token. Unhealthy.</summary>
    TokenRefused,

    /// <summary>The id is registered and the worker holds no token for it; the agent waits for a token in its store.
    /// Unhealthy.</summary>
    IdTaken,

    /// <summary>The service no longer knows the worker and no registration key is configured to register it again;
    /// the agent waits for a token in its store. Unhealthy.</summary>
    WorkerGone,

    /// <summary>The service refused the registration or heartbeat for good (an invalid registration, a key that may not
    /// register); the agent waits for a token in its store. Unhealthy.</summary>
    Refused,

    /// <summary>The host stopped the agent. Unhealthy.</summary>
    Stopped,
}
