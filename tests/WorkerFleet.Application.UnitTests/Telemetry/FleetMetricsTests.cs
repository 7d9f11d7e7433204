using OpenTelemetry;
using OpenTelemetry.Metrics;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;

namespace WorkerFleet.Application.UnitTests.Telemetry;

/// <summary>The use cases' instruments, read as an OpenTelemetry pipeline reads them (the in-memory exporter).</summary>
public class FleetMetricsTests : ApplicationTest
{
    private readonly List<Metric> _exported = [];
    private MeterProvider _meters = null!;

    [SetUp]
    public void ListenToTheMeter() =>
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter(FleetMetrics.MeterName).AddInMemoryExporter(_exported).Build()!;

    [TearDown]
    public void StopListening() => _meters.Dispose();

    [Test]
    public async Task Every_status_change_is_counted_by_from_to_and_trigger()
    {
        foreach (var id in new[] { "counted-a", "counted-b", "counted-c" })
        {
            await RegisterAsync(id);
        }

        await HeartbeatAsync("counted-a");
        await HeartbeatAsync("counted-b");
        (await SendAsync(new ActivatePendingWorkers())).Value.Should().HaveCount(2);
        (await SendAsync(new UpdateWorkerStatus("counted-c", "Failed"))).Error.Should().BeNull();
        // A refused change counts nothing.
        (await SendAsync(new UpdateWorkerStatus("counted-c", "Active"))).Error.Should().NotBeNull();
        await LetOneTimeoutPassAsync(stillBeating: ["counted-b"]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().HaveCount(1);
        await HeartbeatAsync("counted-a");
        (await SendAsync(new ReactivateOfflineWorkers())).Value.Should().HaveCount(1);

        Transitions().Should().BeEquivalentTo(new Dictionary<string, long>
        {
            ["pending->active by activation"] = 2,
            ["pending->failed by operator"] = 1,
            ["active->offline by stale-detection"] = 1,
            ["offline->active by reactivation"] = 1,
        });
    }

    [Test]
    public async Task A_sweep_that_moves_nobody_counts_nothing()
    {
        await RegisterAsync("silent");

        (await SendAsync(new ActivatePendingWorkers())).Value.Should().BeEmpty();

        Transitions().Should().BeEmpty();
    }

    private Dictionary<string, long> Transitions()
    {
        _meters.ForceFlush();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var metric in _exported.Where(m => m.Name == "workerfleet.transitions"))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                counts[$"{tags["from"]}->{tags["to"]} by {tags["trigger"]}"] = point.GetSumLong();
            }
        }

        return counts;
    }
}
