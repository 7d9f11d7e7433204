using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Quartz;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Infrastructure.Scheduling;
using WorkerFleet.Infrastructure.Telemetry;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>GET /metrics as Prometheus scrapes it: the service's series with the values the requests produced.</summary>
[NonParallelizable]
public sealed class MetricsTests() : ApiTestBase(new Dictionary<string, string?>
{
    ["WorkerFleet:Lifecycle:HeartbeatTimeout"] = "00:01:00",
    // The fleet is read when a test says so, not when the fake clock passes an interval.
    ["WorkerFleet:Metrics:FleetReadingInterval"] = "1.00:00:00",
})
{
    [Test]
    public async Task Heartbeats_are_counted_by_outcome_including_the_ones_refused_before_the_use_case()
    {
        (await Client.RegisterAsync("metrics-a")).EnsureSuccessStatusCode();
        var before = await ScrapeAsync();

        for (var i = 0; i < 3; i++)
        {
            (await Client.HeartbeatAsync("metrics-a")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var anonymous = Api.CreateClient();
        (await anonymous.PostAsync("/workers/metrics-a/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var wrongWorker = new HttpRequestMessage(HttpMethod.Post, "/workers/metrics-b/heartbeat");
        wrongWorker.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkerFleetApi.ReaderKey);
        (await anonymous.SendAsync(wrongWorker)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        var after = await ScrapeAsync();
        Delta(before, after, """workerfleet_heartbeats_total{otel_scope_name="WorkerFleet",outcome="recorded"}""").Should().Be(3);
        Delta(before, after, """workerfleet_heartbeats_total{otel_scope_name="WorkerFleet",outcome="unauthorized"}""").Should().Be(1);
        Delta(before, after, """workerfleet_heartbeats_total{otel_scope_name="WorkerFleet",outcome="forbidden"}""").Should().Be(1);
        Delta(before, after, """workerfleet_write_batch_size_sum{otel_scope_name="WorkerFleet",kind="heartbeats"}""").Should().Be(3);
    }

    [Test]
    public async Task Registrations_are_counted_in_the_write_batches_under_their_own_kind()
    {
        var before = await ScrapeAsync();

        (await Client.RegisterAsync("metrics-batched")).EnsureSuccessStatusCode();

        var after = await ScrapeAsync();
        Delta(before, after, """workerfleet_write_batch_size_sum{otel_scope_name="WorkerFleet",kind="registrations"}""").Should().Be(1);
        Delta(before, after, """workerfleet_write_batch_size_sum{otel_scope_name="WorkerFleet",kind="heartbeats"}""").Should().Be(0);
    }

    [Test]
    public async Task Transitions_workers_by_status_and_region_and_heartbeat_ages_come_from_the_jobs_and_the_fleet_reading()
    {
        foreach (var id in new[] { "metrics-x", "metrics-y" })
        {
            (await Client.RegisterAsync(id, region: "metrics-region")).EnsureSuccessStatusCode();
            (await Client.HeartbeatAsync(id)).EnsureSuccessStatusCode();
        }

        (await Client.RegisterAsync("metrics-z", region: "metrics-region")).EnsureSuccessStatusCode();
        var before = await ScrapeAsync();
        (await Client.PostAsync("/scheduler/run", null)).EnsureSuccessStatusCode();
        // Half a timeout later, the two Active workers' heartbeats are half-way to the cutoff.
        Api.Clock.Advance(TimeSpan.FromSeconds(30));
        await ReadFleetAsync();

        var after = await ScrapeAsync();
        Delta(before, after, """workerfleet_transitions_total{otel_scope_name="WorkerFleet",from="pending",to="active",trigger="activation"}""").Should().Be(2);
        after["""workerfleet_workers{otel_scope_name="WorkerFleet",region="metrics-region",status="active"}"""].Should().Be(2);
        after["""workerfleet_workers{otel_scope_name="WorkerFleet",region="metrics-region",status="pending"}"""].Should().Be(1);
        after["""workerfleet_protection_held{otel_scope_name="WorkerFleet",region="metrics-region"}"""].Should().Be(0);
        after["""workerfleet_storage_available{otel_scope_name="WorkerFleet"}"""].Should().Be(1);
        Delta(before, after, """workerfleet_heartbeat_age_bucket{otel_scope_name="WorkerFleet",le="0.25"}""").Should().Be(0);
        Delta(before, after, """workerfleet_heartbeat_age_bucket{otel_scope_name="WorkerFleet",le="0.5"}""").Should().Be(2);
        Delta(before, after, """workerfleet_heartbeat_age_sum{otel_scope_name="WorkerFleet"}""").Should().BeApproximately(1.0, 1e-9);
    }

    [Test]
    public async Task Every_run_of_a_job_is_timed_whether_its_schedule_fired_it_or_an_operator_asked_for_it()
    {
        var runs = await JobExecutions.ListenAsync(Api.Services);
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var before = await ScrapeAsync();

        (await Client.PostAsync("/scheduler/run", null)).EnsureSuccessStatusCode();
        var asked = await ScrapeAsync();
        await scheduler.TriggerJob(LifecycleJobs.Activation);
        await runs.NextRunOfAsync(LifecycleJobs.Activation, DateTimeOffset.MinValue);
        var fired = await ScrapeAsync();

        RunsTimed(before, asked, LifecycleJobs.Activation).Should().Be(1);
        RunsTimed(before, asked, LifecycleJobs.StaleDetection).Should().Be(1);
        RunsTimed(before, asked, LifecycleJobs.Reactivation).Should().Be(1);
        RunsTimed(asked, fired, LifecycleJobs.Activation).Should().Be(1);
        RunsTimed(asked, fired, LifecycleJobs.StaleDetection).Should().Be(0);
    }

    [Test]
    public async Task The_history_holds_each_reading_with_the_heartbeats_per_second_recorded_since_the_one_before()
    {
        (await Client.RegisterAsync("history-a", region: "history-region")).EnsureSuccessStatusCode();
        await ReadFleetAsync();
        Api.Clock.Advance(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 5; i++)
        {
            (await Client.HeartbeatAsync("history-a")).EnsureSuccessStatusCode();
        }

        await ReadFleetAsync();

        var points = (await (await Client.GetAsync("/metrics/history")).ReadJsonAsync()).GetProperty("points").EnumerateArray().TakeLast(2).ToList();
        points[1].GetProperty("heartbeatsPerSecond").GetDouble().Should().Be(0.5, "5 heartbeats in the 10 s between the readings");
        points[1].GetProperty("pending").GetInt32().Should().Be(1);
        (DateTimeOffset.Parse(points[1].GetProperty("at").GetString()!, CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(points[0].GetProperty("at").GetString()!, CultureInfo.InvariantCulture)).Should().Be(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task The_probes_answer_without_a_credential()
    {
        using var anonymous = Api.CreateClient();
        (await anonymous.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await anonymous.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        var checks = (await ready.ReadJsonAsync()).GetProperty("checks");
        checks.EnumerateObject().Select(c => c.Name).Should().BeEquivalentTo("database", "scheduler");
    }

    private async Task ReadFleetAsync()
    {
        var reader = Api.Services.GetServices<IHostedService>().OfType<FleetReader>().Single();
        Api.Services.GetRequiredService<FleetMetrics>().Observe(await reader.ReadAsync(CancellationToken.None));
    }

    /// <summary>The scrape as series → value; a scrape of the reader key, as Prometheus is configured with.</summary>
    private async Task<Dictionary<string, double>> ScrapeAsync()
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WorkerFleetApi.ReaderKey);
        var response = await client.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in (await response.Content.ReadAsStringAsync()).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // "name{labels} value [timestamp]": a label's value may hold spaces (a pool name holds the connection
            // string's settings), but neither the value nor the timestamp holds a brace.
            var nameEnd = line.Contains('{', StringComparison.Ordinal) ? line.LastIndexOf('}') + 1 : line.IndexOf(' ', StringComparison.Ordinal);
            var value = line[nameEnd..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            series[line[..nameEnd]] = double.Parse(value, CultureInfo.InvariantCulture);
        }

        return series;
    }

    /// <summary>How many more runs of <paramref name="job"/> the sweep-duration histogram counted between two scrapes.</summary>
    private static double RunsTimed(Dictionary<string, double> before, Dictionary<string, double> after, JobKey job)
    {
        var series = $$"""workerfleet_sweep_duration_seconds_count{otel_scope_name="WorkerFleet",job="{{job.Name}}"}""";
        after.Should().ContainKey(series);
        return Delta(before, after, series);
    }

    private static double Delta(Dictionary<string, double> before, Dictionary<string, double> after, string series) =>
        after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
}
