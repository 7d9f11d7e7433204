using System.Diagnostics;

namespace WorkerFleet.Application.Telemetry;

/// <summary>The service's spans: one per use case and one per scheduled job run, on the activity source
/// <see cref="SourceName"/>. A host's tracing pipeline subscribes to it (<c>AddSource(FleetTracing.SourceName)</c>);
/// without a subscriber no span is created. Spans carry names and outcomes, never a request's values.</summary>
public static class FleetTracing
{
    /// <summary>The name of the activity source.</summary>
    public const string SourceName = "WorkerFleet";

    /// <summary>The activity source the spans are started on.</summary>
    public static ActivitySource Source { get; } = new(SourceName);
}
