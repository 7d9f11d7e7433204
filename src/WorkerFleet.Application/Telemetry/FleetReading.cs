using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Telemetry;

/// <summary>One reading of the fleet for the gauges: every worker counted once, by status and region.</summary>
/// <param name="At">When it was taken (UTC).</param>
/// <param name="Workers">How many workers each status and region holds; combinations with none are left out.</param>
/// <param name="HeldRegions">The regions mass-failure protection holds.</param>
/// <param name="HeartbeatAges">The Active workers' heartbeat ages as a share of the heartbeat timeout, rounded to
/// hundredths: each share with how many workers have it.</param>
public sealed record FleetReading(
    DateTimeOffset At, IReadOnlyList<StatusRegionCount> Workers, IReadOnlyList<string> HeldRegions, IReadOnlyList<(double Share, int Workers)> HeartbeatAges)
{
    /// <summary>Before the first reading: no workers, no holds.</summary>
    public static FleetReading None { get; } = new(DateTimeOffset.MinValue, [], [], []);
}

/// <summary>How many workers one status and region holds.</summary>
/// <param name="Status">The status.</param>
/// <param name="Region">The region.</param>
/// <param name="Count">The number of workers.</param>
public sealed record StatusRegionCount(WorkerStatus Status, string Region, int Count);
