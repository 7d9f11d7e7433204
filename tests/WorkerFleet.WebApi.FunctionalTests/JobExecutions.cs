using System.Threading.Channels;
using Quartz;
using Microsoft.Extensions.DependencyInjection;
using Quartz.Extensibility;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Hears every finished job run of the real scheduler, so a test can wait for a run instead of for time.</summary>
internal sealed class JobExecutions : IJobListener
{
    private readonly Channel<(JobKey Job, DateTimeOffset ScheduledFor, object? Result)> _finished =
        Channel.CreateUnbounded<(JobKey, DateTimeOffset, object?)>();

    public string Name => nameof(JobExecutions);

    public static async Task<JobExecutions> ListenAsync(IServiceProvider services)
    {
        var listener = new JobExecutions();
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        scheduler.ListenerManager.AddJobListener(listener, []);
        return listener;
    }

    /// <summary>Waits for a run of <paramref name="job"/> scheduled strictly after <paramref name="after"/> (on the
    /// scheduler's clock) to finish and returns its result; earlier runs and other jobs' runs are passed over.
    /// Fails after 30 seconds, which only a scheduler that never fires can reach.</summary>
    public async Task<object?> NextRunOfAsync(JobKey job, DateTimeOffset after)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var (finished, scheduledFor, result) = await _finished.Reader.ReadAsync(timeout.Token);
            if (finished.Equals(job) && scheduledFor > after)
            {
                return result;
            }
        }
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken) =>
        _finished.Writer.WriteAsync(
            (context.JobDetail.Key, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, context.Result), cancellationToken);
}
