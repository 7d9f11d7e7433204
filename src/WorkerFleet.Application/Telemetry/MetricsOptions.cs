namespace WorkerFleet.Application.Telemetry;

/// <summary>Settings of the metrics, bound from <c>WorkerFleet:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Metrics";

    /// <summary>Whether the host publishes metrics (<c>GET /metrics</c>, OTLP when configured). On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the fleet is read for the gauges (<c>workerfleet.workers</c>,
    /// <c>workerfleet.protection.held</c>), the heartbeat-age histogram and the fleet size that paces heartbeats
    /// (<see cref="Common.LifecycleOptions.MaxHeartbeatsPerSecond"/>): one grouped read of the workers each time.</summary>
    public TimeSpan FleetReadingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
