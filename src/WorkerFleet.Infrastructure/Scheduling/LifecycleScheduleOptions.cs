using WorkerFleet.Application.Common;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>When the lifecycle jobs fire: Quartz cron expressions (with seconds), bound from <c>WorkerFleet:Lifecycle</c>.</summary>
public sealed class LifecycleScheduleOptions
{
    public const string SectionName = LifecycleOptions.SectionName;

    public string ActivationCron { get; set; } = "0/10 * * * * ?";

    public string StaleDetectionCron { get; set; } = "0/30 * * * * ?";

    public string ReactivationCron { get; set; } = "0/30 * * * * ?";
}
