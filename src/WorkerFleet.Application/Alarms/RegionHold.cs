namespace WorkerFleet.Application.Alarms;

/// <summary>A region whose stale workers mass-failure protection keeps Active: too many of them went stale at once.</summary>
/// <param name="Region">The region.</param>
/// <param name="Since">The first stale detection that held it (UTC).</param>
/// <param name="Stale">How many of its Active workers had no recent heartbeat at the last run.</param>
/// <param name="Active">How many Active workers it had then.</param>
public sealed record RegionHold(string Region, DateTimeOffset Since, int Stale, int Active);
