using WorkerFleet.Application.Alarms;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>The lifecycle's control state, kept in storage so every instance of a cluster reads and changes the same:
/// the regions mass-failure protection holds, the operators' overrides, and the grace period of stale detection.
/// Stale detection itself runs here, because its decision and its sweep must read one snapshot of the fleet.</summary>
public interface ILifecycleControl
{
    /// <summary>Runs one stale detection: during the grace period (one heartbeat timeout from the latest start stored
    /// or given) it moves no worker; otherwise it counts each region's
    /// Active and stale workers, holds each region over the mass-failure threshold unless an override covers it (and
    /// takes that override), marks the stale workers of the other regions Offline, and records the holds, all in one
    /// transaction on one snapshot.</summary>
    Task<StaleDetectionOutcome> DetectStaleAsync(StaleDetectionRun run, CancellationToken cancellationToken);

    /// <summary>The regions held now and the overrides not yet used or expired at <paramref name="now"/>.</summary>
    Task<ControlState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Arms an override, replacing one armed earlier for the same region (or for every region).</summary>
    Task ArmOverrideAsync(MassFailureOverride armed, CancellationToken cancellationToken);

    /// <summary>Makes stale detection wait one heartbeat timeout from <paramref name="startsAt"/>, on every instance; a
    /// later start already stored stays. The timeout is the one configured when stale detection runs.</summary>
    Task StartGraceAsync(DateTimeOffset startsAt, CancellationToken cancellationToken);
}

/// <summary>One stale detection's inputs.</summary>
/// <param name="Now">The time of the run (UTC).</param>
/// <param name="Cutoff">Now − heartbeat timeout: an Active worker without a heartbeat at or after it is stale.</param>
/// <param name="GraceStartsAt">The start of the grace period this instance owes the fleet; stored, it holds for all.</param>
/// <param name="Threshold">The share of a region's Active workers above which the region is held.</param>
/// <param name="MinimumFleet">Regions with fewer Active workers are never held.</param>
/// <param name="Actor">Who runs it, as the journal events of the workers it moves name it.</param>
public sealed record StaleDetectionRun(
    DateTimeOffset Now, DateTimeOffset Cutoff, DateTimeOffset GraceStartsAt, double Threshold, int MinimumFleet, string Actor);

/// <summary>What one stale detection did.</summary>
/// <param name="WaitingUntil">The end of the grace period when the run waited (and did nothing else); otherwise null.</param>
/// <param name="MarkedOffline">The workers it moved to Offline, in id order.</param>
/// <param name="Held">The regions it held.</param>
/// <param name="OverridesUsed">The overrides it took to let a region through.</param>
public sealed record StaleDetectionOutcome(
    DateTimeOffset? WaitingUntil,
    IReadOnlyList<WorkerId> MarkedOffline,
    IReadOnlyList<RegionHold> Held,
    IReadOnlyList<MassFailureOverride> OverridesUsed);

/// <summary>The control state operators see.</summary>
/// <param name="Held">The regions mass-failure protection holds, by region.</param>
/// <param name="Overrides">The overrides armed and neither used nor expired.</param>
public sealed record ControlState(IReadOnlyList<RegionHold> Held, IReadOnlyList<MassFailureOverride> Overrides);
