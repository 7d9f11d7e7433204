using WorkerFleet.Application.Common;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>When the lifecycle jobs fire: Quartz cron expressions (with seconds), bound from <c>WorkerFleet:Lifecycle</c>.</summary>
public sealed class LifecycleScheduleOptions
{
    /// <summary>The configuration section these options bind from (shared with <see cref="LifecycleOptions"/>).</summary>
    public const string SectionName = LifecycleOptions.SectionName;

    /// <summary>When the activation job fires; every 10 seconds by default.</summary>
    public string ActivationCron { get; set; } = "0/10 * * * * ?";

    /// <summary>When the stale-detection job fires; every 30 seconds by default.</summary>
    public string StaleDetectionCron { get; set; } = "0/30 * * * * ?";

    /// <summary>When the reactivation job fires; every 30 seconds by default.</summary>
    public string ReactivationCron { get; set; } = "0/30 * * * * ?";
}
