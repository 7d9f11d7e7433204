using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Telemetry;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>One reading of the fleet for the gauges, in each database's own SQL: the workers by status and region, and
/// the Active workers' heartbeat ages as shares of the timeout (two minutes by default), read only while something
/// listens to the heartbeat-age histogram.</summary>
public class FleetReaderTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task A_reading_counts_the_workers_by_status_and_gives_the_active_workers_heartbeat_ages_as_shares_of_the_timeout()
    {
        await RegisterAsync("quarter", "half", "pending");
        var now = DateTimeOffset.UtcNow;
        await HeartbeatAsync("quarter", now - TimeSpan.FromSeconds(30));
        await HeartbeatAsync("half", now - TimeSpan.FromSeconds(60));
        await HeartbeatAsync("pending", now - TimeSpan.FromSeconds(60));
        await SetStatusAsync("quarter", WorkerStatus.Active);
        await SetStatusAsync("half", WorkerStatus.Active);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listening) =>
            {
                if (instrument.Name == "workerfleet.heartbeat.age")
                {
                    listening.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.Start();

        var reading = await Reader().ReadAsync(CancellationToken.None);

        reading.Workers.Should().BeEquivalentTo(
            [new StatusRegionCount(WorkerStatus.Active, "us-east-1", 2), new StatusRegionCount(WorkerStatus.Pending, "us-east-1", 1)]);
        reading.HeldRegions.Should().BeEmpty();
        reading.HeartbeatAges.Should().BeEquivalentTo([(0.25, 1), (0.5, 1)]);
    }

    [Test]
    public async Task Without_a_listener_the_heartbeat_ages_are_not_read()
    {
        await RegisterAsync("quarter");
        await HeartbeatAsync("quarter", DateTimeOffset.UtcNow - TimeSpan.FromSeconds(30));
        await SetStatusAsync("quarter", WorkerStatus.Active);

        var reading = await Reader().ReadAsync(CancellationToken.None);

        reading.Workers.Should().ContainSingle().Which.Should().Be(new StatusRegionCount(WorkerStatus.Active, "us-east-1", 1));
        reading.HeartbeatAges.Should().BeEmpty();
    }

    private FleetReader Reader() => Storage.Services.GetServices<IHostedService>().OfType<FleetReader>().Single();
}
