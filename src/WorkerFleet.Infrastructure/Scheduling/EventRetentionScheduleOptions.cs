using WorkerFleet.Application.Events;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>When the journal's retention job fires: a Quartz cron expression (with seconds), bound from <c>WorkerFleet:Events</c>.</summary>
public sealed class EventRetentionScheduleOptions
{
    /// <summary>The configuration section these options bind from (shared with <see cref="EventsOptions"/>).</summary>
    public const string SectionName = EventsOptions.SectionName;

    /// <summary>When the retention job fires; every hour at a quarter past by default.</summary>
    public string RetentionCron { get; set; } = "0 15 * * * ?";
}
