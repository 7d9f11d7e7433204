namespace WorkerFleet.Application.Alarms;

/// <summary>An operator's decision that a mass failure is real: the next stale detection that would hold the region
/// (every region, when <see cref="Region"/> is null) marks its stale workers Offline, and takes the override.</summary>
/// <param name="Region">The region it lets through, or null for every held region.</param>
/// <param name="ArmedAt">When it was armed (UTC).</param>
/// <param name="ArmedBy">Who armed it: the caller's name.</param>
/// <param name="ExpiresAt">When it lapses unused (UTC).</param>
public sealed record MassFailureOverride(string? Region, DateTimeOffset ArmedAt, string ArmedBy, DateTimeOffset ExpiresAt);
