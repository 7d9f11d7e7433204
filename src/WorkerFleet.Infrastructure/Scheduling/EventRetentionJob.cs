using System.Globalization;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using WorkerFleet.Application.Events.Commands;
using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>The journal's job and its cron trigger.</summary>
public static class JournalJobs
{
    /// <summary>The Quartz group of the journal's job and its trigger.</summary>
    public const string Group = "events";

    /// <summary>The job that sends <c>DeleteExpiredEvents</c>.</summary>
    public static readonly JobKey Retention = new("delete-expired-events", Group);

    private const string Description = "Deletes the journal's events older than WorkerFleet:Events:Retention.";

    internal static void AddJournalJobs(this IQuartzBuilder quartz) =>
        quartz.ScheduleJob<EventRetentionJob>(
            (services, trigger) => trigger
                .WithIdentity(Retention.Name, Group)
                .WithDescription(Description)
                .WithCronSchedule(services.GetRequiredService<IOptions<EventRetentionScheduleOptions>>().Value.RetentionCron)
                .ForJob(Retention),
            (_, job) => job.WithIdentity(Retention).WithDescription(Description));
}

/// <summary>Sends <see cref="DeleteExpiredEvents"/> and reports how many events it deleted to the execution history.</summary>
[DisallowConcurrentExecution]
internal sealed class EventRetentionJob(IMediator mediator, ILogger<EventRetentionJob> logger) : IJob
{
    private const string DeletedMetric = "deleted";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var span = FleetTracing.Source.StartActivity($"job {context.JobDetail.Key.Name}");
        var result = await mediator.Send(new DeleteExpiredEvents(), cancellationToken);
        if (result.Error is { } error)
        {
            logger.LogWarning("Event retention skipped: {Error}", error.Message);
            context.Result = JobRunReport.Failed(error.Message);
            return;
        }

        var deleted = result.Value;
        if (deleted == 0)
        {
            context.Result = JobRunReport.Skipped("No event has expired.").With(DeletedMetric, 0);
            return;
        }

        logger.LogInformation("Event retention deleted {Count} event(s)", deleted);
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture, $"Deleted {deleted} expired event(s)."))
            .With(DeletedMetric, deleted);
    }
}
