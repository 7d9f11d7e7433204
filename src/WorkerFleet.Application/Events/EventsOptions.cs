namespace WorkerFleet.Application.Events;

/// <summary>The journal's tunables, bound from <c>WorkerFleet:Events</c>.</summary>
public sealed class EventsOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Events";

    /// <summary>How long events are kept; the retention job deletes older ones.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a caught-up <see cref="EventFeed"/> reads the journal again: the longest an event written by
    /// another instance waits to be delivered. Events this process writes are delivered at once.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
