namespace WorkerFleet.Application.Telemetry;

/// <summary>Settings of the metrics, bound from <c>WorkerFleet:Metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Metrics";

    /// <summary>Whether the host publishes metrics (<c>GET /metrics</c>, OTLP when configured) and reads the fleet for
    /// the gauges. On by default.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the fleet is read for the gauges (<c>workerfleet.workers</c>,
    /// <c>workerfleet.protection.held</c>) and the heartbeat-age histogram: one grouped read of the workers each time.</summary>
    public TimeSpan FleetReadingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
