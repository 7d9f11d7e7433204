using System.Globalization;

namespace WorkerFleet.Application.Alarms;

/// <summary>A condition an operator must know about, active since <see cref="Since"/>.</summary>
/// <param name="Name">A stable name: <c>mass-failure</c> or <c>storage-unavailable</c>.</param>
/// <param name="Region">The region it concerns, or null when it concerns the whole service.</param>
/// <param name="Since">When it was first raised (UTC).</param>
/// <param name="Message">What is wrong, what the service does about it, and what an operator can do.</param>
/// <param name="Stale">For a mass failure: the region's stale Active workers at the last stale detection.</param>
/// <param name="Active">For a mass failure: the region's Active workers at the last stale detection.</param>
public sealed record Alarm(string Name, string? Region, DateTimeOffset Since, string Message, int? Stale = null, int? Active = null)
{
    /// <summary>Stale detection holds a region because too much of it would have gone Offline at once.</summary>
    public const string MassFailure = "mass-failure";

    /// <summary>The database does not answer this instance.</summary>
    public const string StorageUnavailable = "storage-unavailable";

    /// <summary>The alarm of a held region.</summary>
    internal static Alarm Of(RegionHold hold, double threshold) => new(
        MassFailure,
        hold.Region,
        hold.Since,
        string.Create(CultureInfo.InvariantCulture,
            $"{hold.Stale} of {hold.Active} Active workers in {hold.Region} have no recent heartbeat, more than the {threshold:P0} threshold: " +
            $"none of them is marked Offline while it lasts, and the other regions are swept as usual. The hold ends by itself once " +
            $"enough of them heartbeat again. If they are really gone, POST /alarms/mass-failure/override?region={Uri.EscapeDataString(hold.Region)} " +
            $"lets the next stale detection mark them Offline."),
        hold.Stale,
        hold.Active);
}
