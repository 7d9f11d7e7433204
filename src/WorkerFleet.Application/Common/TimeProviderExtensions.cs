namespace WorkerFleet.Application.Common;

internal static class TimeProviderExtensions
{
    /// <summary>The current UTC time at the microsecond precision every storage provider keeps, so a
    /// timestamp returned to a caller equals the one read back later.</summary>
    public static DateTimeOffset GetStorableUtcNow(this TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
    }
}
