using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The service pointed at a PostgreSQL that does not answer: requests fail fast and clearly.</summary>
public class StorageOutageTests() : ApiTestBase(
    new Dictionary<string, string?>
    {
        ["WorkerFleet:Storage:Provider"] = "Postgres",
        ["WorkerFleet:Storage:ApplyMigrationsOnStartup"] = "false",
        // Port 1 on loopback refuses connections at once.
        ["ConnectionStrings:WorkerFleet"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none;Timeout=2",
        ["Logging:LogLevel:WorkerFleet.Infrastructure.Telemetry.FleetReader"] = "Debug",
    },
    resetBetweenTests: false)
{
    [Test]
    public async Task Writes_answer_503_with_retry_after()
    {
        var response = await Client.RegisterAsync("worker-1");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
        problem.ToString().Should().NotContainAny("Npgsql", "127.0.0.1", "Exception", "   at ");
    }

    [Test]
    public async Task Reads_and_heartbeats_answer_503()
    {
        await (await Client.GetAsync("/workers/worker-1")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        await (await Client.HeartbeatAsync("worker-1")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        await (await Client.PostAsync("/scheduler/run", null)).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        await (await Client.GetAsync("/workers/counts")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        await (await Client.GetAsync("/workers?idPrefix=w")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
    }

    [Test]
    public async Task Credentials_that_cannot_be_valid_are_refused_without_asking_the_database()
    {
        // With the database down, anything looked up answers 503: these answer 401 because nothing is looked up.
        foreach (var credential in new[]
        {
            "wft_short", "wft_" + new string('A', 44), "wft_" + new string('A', 42) + "=", "wft_" + new string('A', 42) + " ",
            "not-a-key-or-token-of-this-service-0123456789",
        })
        {
            await (await GetAsWith("/workers/worker-1", credential)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        await (await GetAsWith("/workers/worker-1", "wft_" + new string('A', 43))).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
    }

    [Test]
    public async Task Health_answers_503_naming_the_database_check_only()
    {
        var response = await Client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var health = await response.ReadJsonAsync();
        health.GetProperty("checks").GetProperty("database").GetString().Should().Be("Unhealthy");
        health.GetProperty("checks").GetProperty("scheduler").GetString().Should().Be("Healthy");
        health.ToString().Should().NotContainAny("Npgsql", "127.0.0.1", "Exception");
    }

    [TestCase(LifecycleJobs.Group, "activate-pending-workers", "ActivatePendingWorkers skipped")]
    [TestCase(JournalJobs.Group, "delete-expired-events", "Event retention skipped")]
    public async Task A_job_reports_the_outage_as_a_failed_run_and_the_scheduler_keeps_running(string group, string name, string logged)
    {
        var job = new JobKey(name, group);
        var runs = await JobExecutions.ListenAsync(Api.Services);
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

        await scheduler.TriggerJob(job);

        var report = (await runs.NextRunOfAsync(job, DateTimeOffset.MinValue)).Should().BeAssignableTo<IJobRunReport>().Subject;
        report.Result.Should().Be(JobRunResult.Failed);
        report.Summary.Should().Contain("unavailable");
        Api.Logs.Lines.Should().Contain(line => line.Contains($"{logged}: {report.Summary}", StringComparison.Ordinal));
        var health = await (await Client.GetAsync("/health")).ReadJsonAsync();
        health.GetProperty("checks").GetProperty("scheduler").GetString().Should().Be("Healthy");
        (await scheduler.GetTriggerState(new TriggerKey(job.Name, job.Group))).Should().Be(TriggerState.Normal);
    }

    [Test]
    public async Task A_fleet_reading_that_fails_is_logged_at_debug_with_its_error()
    {
        // The first reading runs in the background as the service starts and finds the database gone; it is waited
        // for, up to 30 seconds.
        static bool Logged(string line) =>
            line.StartsWith("Debug WorkerFleet.Infrastructure.Telemetry.FleetReader: The fleet could not be read for the metrics", StringComparison.Ordinal)
            && line.Contains("Npgsql", StringComparison.Ordinal);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Api.Logs.Lines.Any(Logged))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
        }
    }

    [Test]
    public async Task A_run_asked_for_during_the_outage_is_in_the_history_as_failed()
    {
        (await Client.PostAsync("/scheduler/run", content: null)).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);

        var history = await (await Client.GetAsync(
            $"/quartz-api/schedulers/QuartzScheduler/history/executions?jobGroup={LifecycleJobs.Group}&jobName={LifecycleJobs.Activation.Name}&take=100"))
            .ReadJsonAsync();
        var run = history.GetProperty("items").EnumerateArray().First(entry => entry.GetProperty("manual").GetBoolean());
        run.GetProperty("result").GetString().Should().Be("Failed");
        run.GetProperty("succeeded").GetBoolean().Should().BeFalse();
    }

    private Task<HttpResponseMessage> GetAsWith(string path, string credential)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        return Client.SendAsync(request);
    }
}
