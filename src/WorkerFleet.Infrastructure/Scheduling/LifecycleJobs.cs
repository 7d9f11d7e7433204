using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>The three lifecycle jobs and their cron triggers.</summary>
public static class LifecycleJobs
{
    /// <summary>The Quartz group of the lifecycle jobs and their triggers.</summary>
    public const string Group = "lifecycle";

    /// <summary>The job that sends <c>ActivatePendingWorkers</c>.</summary>
    public static readonly JobKey Activation = new("activate-pending-workers", Group);

    /// <summary>The job that sends <c>MarkStaleWorkersOffline</c>.</summary>
    public static readonly JobKey StaleDetection = new("mark-stale-workers-offline", Group);

    /// <summary>The job that sends <c>ReactivateOfflineWorkers</c>.</summary>
    public static readonly JobKey Reactivation = new("reactivate-offline-workers", Group);

    internal static void AddLifecycleJobs(this IQuartzBuilder quartz)
    {
        quartz.Schedule<ActivatePendingWorkers>(Activation, o => o.ActivationCron,
            "Moves Pending workers with a recent heartbeat to Active.");
        quartz.Schedule<MarkStaleWorkersOffline>(StaleDetection, o => o.StaleDetectionCron,
            "Moves Active workers without a heartbeat within the timeout to Offline.");
        quartz.Schedule<ReactivateOfflineWorkers>(Reactivation, o => o.ReactivationCron,
            "Moves Offline workers with a recent heartbeat back to Active.");
    }

    private static void Schedule<TCommand>(this IQuartzBuilder quartz, JobKey key, Func<LifecycleScheduleOptions, string> cron, string description)
        where TCommand : MediatR.IRequest<Application.Common.Result<IReadOnlyList<WorkerId>>>, new() =>
        quartz.ScheduleJob<LifecycleTransitionJob<TCommand>>(
            (services, trigger) => trigger
                .WithIdentity(key.Name, Group)
                .WithDescription(description)
                .WithCronSchedule(cron(services.GetRequiredService<IOptions<LifecycleScheduleOptions>>().Value))
                .ForJob(key),
            (_, job) => job.WithIdentity(key).WithDescription(description));
}
