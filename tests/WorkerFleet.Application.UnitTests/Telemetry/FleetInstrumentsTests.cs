using System.Diagnostics.Metrics;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Telemetry;

/// <summary><see cref="FleetMetrics"/> on its own, read with a <see cref="MeterListener"/>: the instruments dashboards
/// and alert rules are written against (names, units, descriptions, histogram buckets), what each records, and the
/// hour of readings the dashboard's history shows.</summary>
public class FleetInstrumentsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private FleetMeterCapture _capture = null!;

    private FleetMetrics Metrics => _capture.Metrics;

    [SetUp]
    public void Listen() => _capture = new FleetMeterCapture();

    [TearDown]
    public void StopListening() => _capture.Dispose();

    [Test]
    public void Every_instrument_has_its_name_unit_and_a_description_and_each_histogram_its_buckets()
    {
        _capture.Published.Select(i => (i.Name, i.Unit)).Should().BeEquivalentTo(new[]
        {
            ("workerfleet.heartbeats", "{heartbeat}"),
            ("workerfleet.transitions", "{worker}"),
            ("workerfleet.sweep.duration", "s"),
            ("workerfleet.heartbeat.age", "1"),
            ("workerfleet.write.batch.size", "{write}"),
            ("workerfleet.write.wait", "s"),
            ("workerfleet.workers", "{worker}"),
            ("workerfleet.protection.held", "1"),
            ("workerfleet.storage.available", "1"),
        });
        _capture.Published.Should().OnlyContain(i => !string.IsNullOrWhiteSpace(i.Description));
        // The alert rules' threshold of 1 rests on this meaning, so the whole sentence is pinned.
        _capture.Published.Single(i => i.Name == "workerfleet.heartbeat.age").Description.Should().Be(
            "At each fleet reading, the age of each Active worker's last heartbeat as a share of the heartbeat timeout: " +
            "above 1, the next stale detection marks it Offline.");
        Buckets<double>("workerfleet.sweep.duration").Should().Equal(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
        Buckets<double>("workerfleet.heartbeat.age").Should().Equal(0.1, 0.25, 0.5, 0.75, 0.9, 1, 1.5, 2, 5);
        Buckets<int>("workerfleet.write.batch.size").Should().Equal(1, 2, 4, 8, 16, 32, 64, 128, 256);
        Buckets<double>("workerfleet.write.wait").Should().Equal(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1);
    }

    [Test]
    public void The_counters_and_histograms_record_what_happened_with_bounded_tags()
    {
        Metrics.HeartbeatAnswered(HeartbeatOutcomes.Recorded);
        Metrics.HeartbeatAnswered(HeartbeatOutcomes.RateLimited);
        Metrics.Moved(WorkerStatus.Active, WorkerStatus.Offline, TransitionTrigger.StaleDetection, 3);
        Metrics.Moved(WorkerStatus.Offline, WorkerStatus.Active, TransitionTrigger.Reactivation, 0);
        Metrics.JobRan("mark-stale-workers-offline", TimeSpan.FromMilliseconds(250));
        Metrics.BatchCommitted("heartbeats", [TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(4)]);

        _capture.Measured.Should().Equal(
            ("workerfleet.heartbeats", 1, $"outcome={HeartbeatOutcomes.Recorded}"),
            ("workerfleet.heartbeats", 1, $"outcome={HeartbeatOutcomes.RateLimited}"),
            ("workerfleet.transitions", 3, "from=active,to=offline,trigger=stale-detection"),
            ("workerfleet.sweep.duration", 0.25, "job=mark-stale-workers-offline"),
            ("workerfleet.write.batch.size", 2, "kind=heartbeats"),
            ("workerfleet.write.wait", 0.002, "kind=heartbeats"),
            ("workerfleet.write.wait", 0.004, "kind=heartbeats"));
    }

    [Test]
    public void The_gauges_show_the_last_reading_and_whether_storage_answers()
    {
        _capture.Observe();
        Gauge("workerfleet.storage.available").Should().ContainSingle().Which.Should().Be(("", 1.0), "storage is taken to answer until it fails");
        _capture.Measured.Clear();

        Metrics.Observe(Reading(Now, held: ["eu-west-1"], (WorkerStatus.Active, "eu-west-1", 4), (WorkerStatus.Offline, "us-east-1", 2)));
        Metrics.StorageAnswers(false);

        _capture.Observe();

        Gauge("workerfleet.workers").Should().BeEquivalentTo(new[] { ("status=active,region=eu-west-1", 4.0), ("status=offline,region=us-east-1", 2.0) });
        Gauge("workerfleet.protection.held").Should().BeEquivalentTo(new[] { ("region=eu-west-1", 1.0), ("region=us-east-1", 0.0) });
        Gauge("workerfleet.storage.available").Should().Equal(("", 0.0));
        Metrics.StorageAnswers(true);
        _capture.Measured.Clear();
        _capture.Observe();
        Gauge("workerfleet.storage.available").Should().Equal(("", 1.0));
    }

    [Test]
    public void A_held_region_with_no_worker_left_is_still_shown_held()
    {
        Metrics.Observe(Reading(Now, held: ["ap-south-1"], (WorkerStatus.Active, "eu-west-1", 1)));

        _capture.Observe();

        Gauge("workerfleet.protection.held").Should().BeEquivalentTo(new[] { ("region=eu-west-1", 0.0), ("region=ap-south-1", 1.0) });
    }

    [Test]
    public void Each_active_workers_heartbeat_age_is_one_measurement()
    {
        Metrics.HeartbeatAgesObserved.Should().BeTrue("this test listens to every instrument");

        Metrics.Observe(Reading(Now, held: [], ages: [(0.5, 2), (1.25, 1)]));

        _capture.Measured.Where(m => m.Instrument == "workerfleet.heartbeat.age").Select(m => m.Value).Should().Equal(0.5, 0.5, 1.25);
    }

    [Test]
    public void The_history_keeps_an_hour_of_readings_with_the_heartbeat_rate_between_each_and_the_one_before()
    {
        var first = Now.AddMinutes(-50);
        // Heartbeats recorded before the first reading are not in any rate.
        for (var i = 0; i < 6; i++)
        {
            Metrics.HeartbeatAnswered(HeartbeatOutcomes.Recorded);
        }

        Metrics.Observe(Reading(first, held: [], (WorkerStatus.Active, "eu-west-1", 9)));
        Metrics.Observe(Reading(Now.AddSeconds(-20), held: [], (WorkerStatus.Pending, "eu-west-1", 1), (WorkerStatus.Active, "eu-west-1", 5)));
        for (var i = 0; i < 30; i++)
        {
            Metrics.HeartbeatAnswered(HeartbeatOutcomes.Recorded);
        }

        Metrics.HeartbeatAnswered(HeartbeatOutcomes.Unauthorized);
        Metrics.Observe(Reading(Now, held: [],
            (WorkerStatus.Active, "eu-west-1", 3), (WorkerStatus.Active, "us-east-1", 4), (WorkerStatus.Offline, "us-east-1", 2), (WorkerStatus.Failed, "us-east-1", 1)));
        Metrics.Observe(Reading(Now, held: []));

        // The first has no reading before it, and the last none after the one before it: no rate. Only recorded
        // heartbeats count, 30 in 20 seconds.
        Metrics.History().Should().Equal(
            new FleetHistoryPoint(first, null, 0, 9, 0, 0),
            new FleetHistoryPoint(Now.AddSeconds(-20), 0, 1, 5, 0, 0),
            new FleetHistoryPoint(Now, 1.5, 0, 7, 2, 1),
            new FleetHistoryPoint(Now, null, 0, 0, 0, 0));
        Metrics.Observe(Reading(first.AddHours(1), held: []));
        Metrics.History()[0].At.Should().Be(first, "a reading exactly an hour old is kept");
        Metrics.Observe(Reading(first.AddHours(1).AddTicks(1), held: []));
        Metrics.History()[0].At.Should().Be(Now.AddSeconds(-20), "an older one is dropped");
    }

    private static FleetReading Reading(DateTimeOffset at, string[] held, params (WorkerStatus Status, string Region, int Count)[] workers) =>
        new(at, [.. workers.Select(w => new StatusRegionCount(w.Status, w.Region, w.Count))], held, []);

    private static FleetReading Reading(DateTimeOffset at, string[] held, (double Share, int Workers)[] ages) => new(at, [], held, ages);

    private T[] Buckets<T>(string name)
        where T : struct =>
        [.. ((Histogram<T>)_capture.Published.Single(i => i.Name == name)).Advice!.HistogramBucketBoundaries!];

    private List<(string Tags, double Value)> Gauge(string name) =>
        [.. _capture.Measured.Where(m => m.Instrument == name).Select(m => (m.Tags, m.Value))];

}
