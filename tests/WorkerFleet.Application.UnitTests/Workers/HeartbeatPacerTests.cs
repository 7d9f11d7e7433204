using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Workers;

namespace WorkerFleet.Application.UnitTests.Workers;

public class HeartbeatPacerTests
{
    private const int Samples = 2_000;

    [Test]
    public void Before_the_fleet_is_read_every_worker_is_told_the_longest_interval_a_third_of_the_timeout()
    {
        var pacer = Pacer();

        Intervals(pacer).Should().AllSatisfy(interval => interval.Should().Be(TimeSpan.FromSeconds(40)));
    }

    [Test]
    public void A_small_fleet_heartbeats_at_the_minimum_interval_spread_over_a_quarter_more()
    {
        var pacer = Pacer();
        pacer.Observe(10);

        var intervals = Intervals(pacer);

        intervals.Should().AllSatisfy(interval => interval.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(1.25)));
        intervals.Distinct().Should().HaveCountGreaterThan(Samples / 2, "workers that start together must drift apart");
    }

    [Test]
    public void An_empty_fleet_once_read_is_paced_like_a_small_one_not_like_an_unread_one()
    {
        var pacer = Pacer();
        pacer.Observe(0);

        Intervals(pacer).Should().AllSatisfy(interval => interval.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(1)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(1.25)));
    }

    [TestCase(10_000, 10.0)]
    [TestCase(25_000, 25.0)]
    public void A_larger_fleet_is_paced_so_its_heartbeats_stay_under_the_ceiling(int workers, double shortestSeconds)
    {
        var pacer = Pacer();
        pacer.Observe(workers);

        var intervals = Intervals(pacer);

        intervals.Should().AllSatisfy(interval => interval.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(shortestSeconds)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(shortestSeconds * 1.25)));
        var fleetRate = workers / intervals.Average(interval => interval.TotalSeconds);
        fleetRate.Should().BeLessThanOrEqualTo(1000).And.BeGreaterThan(800);
    }

    [Test]
    public void Near_the_longest_interval_the_spread_stops_at_a_third_of_the_timeout()
    {
        var pacer = Pacer();
        pacer.Observe(35_000);

        Intervals(pacer).Should().AllSatisfy(interval => interval.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(35)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(40)));
    }

    [Test]
    public void A_fleet_too_large_for_the_ceiling_is_told_the_longest_interval_so_no_healthy_worker_goes_stale()
    {
        var pacer = Pacer();
        pacer.Observe(1_000_000);

        Intervals(pacer).Should().AllSatisfy(interval => interval.Should().Be(TimeSpan.FromSeconds(40)));
    }

    [Test]
    public void The_settings_decide_the_pace()
    {
        var pacer = Pacer(new LifecycleOptions
        {
            HeartbeatTimeout = TimeSpan.FromMinutes(3), MaxHeartbeatsPerSecond = 50, MinHeartbeatInterval = TimeSpan.FromSeconds(5),
        });
        pacer.Observe(100);

        Intervals(pacer).Should().AllSatisfy(interval => interval.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(5)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(6.25)));
        pacer.Observe(2_500);
        Intervals(pacer).Should().AllSatisfy(interval => interval.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(50)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(60)));
    }

    private static HeartbeatPacer Pacer(LifecycleOptions? options = null) => new(Options.Create(options ?? new LifecycleOptions()));

    private static List<TimeSpan> Intervals(HeartbeatPacer pacer) => [.. Enumerable.Range(0, Samples).Select(_ => pacer.NextInterval())];
}
