namespace WorkerFleet.Application.Common;

/// <summary>The lifecycle rules' tunables, bound from <c>WorkerFleet:Lifecycle</c>.</summary>
public sealed class LifecycleOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Lifecycle";

    /// <summary>A heartbeat at or after now − timeout is recent; an Active worker without one goes Offline.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many of its newest heartbeats each worker keeps.</summary>
    public int HeartbeatHistorySize { get; set; } = 100;
}
