using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>What each run of a job leaves behind for an operator: its line in the execution history, its log line
/// and its trace span, whether its schedule fired it or an operator asked for it.</summary>
[NonParallelizable]
public class JobRunTests() : ApiTestBase(new Dictionary<string, string?>
{
    ["Logging:LogLevel:WorkerFleet.Infrastructure.Scheduling.LifecycleTransitionJob"] = "Debug",
})
{
    private const string History = "/quartz-api/schedulers/QuartzScheduler/history";

    [TestCase(10, "Moved 10 worker(s): w-01, w-02, w-03, w-04, w-05, w-06, w-07, w-08, w-09, w-10.")]
    [TestCase(11, "Moved 11 workers: w-01, w-02, w-03, w-04, w-05, w-06, w-07, w-08, w-09, w-10 and 1 more.")]
    public async Task A_run_names_up_to_ten_moved_workers_in_the_history_and_every_one_in_the_log(int workers, string summary)
    {
        var ids = Enumerable.Range(1, workers).Select(i => $"w-{i:D2}").ToList();
        foreach (var id in ids)
        {
            (await Client.RegisterAsync(id)).StatusCode.Should().Be(HttpStatusCode.Created);
            (await Client.HeartbeatAsync(id)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await Client.PostAsync("/scheduler/run", content: null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var run = (await RunsAsync(LifecycleJobs.Activation))
            .Where(entry => entry.GetProperty("metrics").ValueKind == JsonValueKind.Object && entry.GetProperty("metrics").GetProperty("moved").GetInt32() == workers)
            .Should().ContainSingle().Subject;
        run.GetProperty("summary").GetString().Should().Be(summary);
        run.GetProperty("succeeded").GetBoolean().Should().BeTrue();
        Api.Logs.Lines.Should().Contain(line =>
            line.Contains($"ActivatePendingWorkers moved {workers} worker(s): {string.Join(", ", ids)} ", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_retention_job_reports_how_many_events_it_deleted_and_logs_only_a_deletion()
    {
        var runs = await JobExecutions.ListenAsync(Api.Services);
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        (await Client.RegisterAsync("expiring")).StatusCode.Should().Be(HttpStatusCode.Created);

        await scheduler.TriggerJob(JournalJobs.Retention);
        var idle = (await runs.NextRunOfAsync(JournalJobs.Retention, DateTimeOffset.MinValue)).Should().BeAssignableTo<IJobRunReport>().Subject;

        idle.Result.Should().Be(JobRunResult.Skipped);
        idle.Summary.Should().Be("No event has expired.");
        idle.Metrics.Should().Contain("deleted", 0);
        Api.Logs.Lines.Should().NotContain(line => line.Contains("Event retention", StringComparison.Ordinal));

        // Past the default retention of 7 days, the registration's event has expired.
        var before = Api.Clock.GetUtcNow();
        Api.Clock.Advance(TimeSpan.FromDays(8));
        await scheduler.TriggerJob(JournalJobs.Retention);
        var deleted = (await runs.NextRunOfAsync(JournalJobs.Retention, before)).Should().BeAssignableTo<IJobRunReport>().Subject;

        deleted.Result.Should().Be(JobRunResult.Succeeded);
        deleted.Summary.Should().Be("Deleted 1 expired event(s).");
        deleted.Metrics.Should().Contain("deleted", 1);
        Api.Logs.Lines.Should().Contain(line => line.Contains("Event retention deleted 1 event(s)", StringComparison.Ordinal));
    }

    [Test]
    public async Task Each_run_is_traced_as_a_span_named_after_its_job()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FleetTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => spans.Enqueue(activity.DisplayName),
        };
        ActivitySource.AddActivityListener(listener);
        var runs = await JobExecutions.ListenAsync(Api.Services);
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        (await Client.PostAsync("/scheduler/run", content: null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await scheduler.TriggerJob(LifecycleJobs.Reactivation);
        await runs.NextRunOfAsync(LifecycleJobs.Reactivation, DateTimeOffset.MinValue);
        await scheduler.TriggerJob(JournalJobs.Retention);
        await runs.NextRunOfAsync(JournalJobs.Retention, DateTimeOffset.MinValue);

        spans.Where(name => name.StartsWith("job ", StringComparison.Ordinal)).Should().Equal(
            "job activate-pending-workers", "job mark-stale-workers-offline", "job reactivate-offline-workers",
            "job reactivate-offline-workers", "job delete-expired-events");
    }

    [Test]
    public async Task Each_fire_of_a_lifecycle_job_is_logged_at_debug_with_the_instance_it_ran_on()
    {
        var runs = await JobExecutions.ListenAsync(Api.Services);
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(LifecycleJobs.Reactivation);
        await runs.NextRunOfAsync(LifecycleJobs.Reactivation, DateTimeOffset.MinValue);

        // A cluster's operators (and ClusterTests) tell from these lines which instance ran each fire.
        Api.Logs.Lines.Should().Contain(line =>
            line.StartsWith("Debug WorkerFleet.Infrastructure.Scheduling.LifecycleTransitionJob", StringComparison.Ordinal)
            && line.Contains("ReactivateOfflineWorkers runs on instance NON_CLUSTERED for the fire scheduled at 20", StringComparison.Ordinal));
    }

    /// <summary>The runs of <paramref name="job"/> the history holds.</summary>
    private async Task<List<JsonElement>> RunsAsync(JobKey job)
    {
        var history = await (await Client.GetAsync($"{History}/executions?jobGroup={job.Group}&jobName={job.Name}&take=100")).ReadJsonAsync();
        return [.. history.GetProperty("items").EnumerateArray()];
    }
}
