namespace WorkerFleet.Application.Common;

/// <summary>The lifecycle rules' tunables, bound from <c>WorkerFleet:Lifecycle</c>.</summary>
public sealed class LifecycleOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Lifecycle";

    /// <summary>A heartbeat at or after now − timeout is recent; an Active worker without one goes Offline.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The ceiling on the whole fleet's heartbeats per second that each heartbeat's answer paces the workers
    /// to (<c>nextHeartbeatInSeconds</c>), as far as a third of <see cref="HeartbeatTimeout"/> allows.</summary>
    public double MaxHeartbeatsPerSecond { get; set; } = 1000;

    /// <summary>The shortest interval a worker is told to wait between heartbeats, however small the fleet.</summary>
    public TimeSpan MinHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many of its newest heartbeats each worker keeps.</summary>
    public int HeartbeatHistorySize { get; set; } = 100;

    /// <summary>Mass-failure protection, judged per region: when one stale sweep would take more than this share of a
    /// region's Active workers Offline at once, it takes none of that region's, holds it and raises an alarm, because a
    /// partition or a registry outage looks exactly like that. The other regions are swept as usual.</summary>
    public double MassFailureThreshold { get; set; } = 0.5;

    /// <summary>Mass-failure protection applies only to regions of at least this many Active workers.</summary>
    public int MassFailureMinimumFleet { get; set; } = 10;

    /// <summary>How long an operator's override of mass-failure protection waits to be used before it lapses.</summary>
    public TimeSpan MassFailureOverrideTtl { get; set; } = TimeSpan.FromMinutes(10);
}
