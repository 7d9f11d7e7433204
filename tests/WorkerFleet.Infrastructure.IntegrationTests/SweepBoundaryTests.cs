using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The sweep and heartbeat predicates exactly at their boundary, in the SQL each provider runs: a heartbeat at
/// the cutoff is recent, one tick before it is not. The cutoff is on a whole second, so the tick either side survives
/// PostgreSQL's microsecond timestamps on the right side of it (a tick before truncates to a microsecond before, a
/// tick after to the cutoff itself).</summary>
public class SweepBoundaryTests(StorageProvider provider) : StorageTestBase(provider)
{
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-2);

    private static readonly string[] Boundary = ["a-tick-before", "at-the-cutoff", "a-tick-after"];

    [TestCase(WorkerStatus.Pending, "at-the-cutoff", "a-tick-after")]
    [TestCase(WorkerStatus.Active, "a-tick-before")]
    [TestCase(WorkerStatus.Offline, "at-the-cutoff", "a-tick-after")]
    public async Task A_sweep_at_the_cutoff_moves_exactly_the_workers_on_its_side_of_it(WorkerStatus from, params string[] expected)
    {
        await BoundaryWorkersInAsync(from);
        var sweep = new[] { LifecycleSweep.Activation, LifecycleSweep.StaleDetection, LifecycleSweep.Reactivation }
            .Single(s => s.From == from);

        var moved = await SweepAsync(sweep, Cutoff);

        moved.Select(id => id.Value).Should().BeEquivalentTo(expected, $"the {sweep.Trigger} sweep's predicate decides at the cutoff");
        foreach (var id in Boundary)
        {
            (await FindAsync(id)).Status.Should().Be(expected.Contains(id) ? sweep.To : from, id);
        }
    }

    [Test]
    public async Task Stale_detection_as_the_job_runs_it_takes_the_worker_a_tick_before_the_cutoff_only()
    {
        await BoundaryWorkersInAsync(WorkerStatus.Active);
        var run = new StaleDetectionRun(Now, Cutoff, GraceStartsAt: Now.AddHours(-1), Threshold: 0.5, MinimumFleet: 10, "stale-detection job");

        var outcome = await Storage.InScopeAsync<ILifecycleControl, StaleDetectionOutcome>(c => c.DetectStaleAsync(run, CancellationToken.None));

        outcome.MarkedOffline.Select(id => id.Value).Should().Equal("a-tick-before");
        (await FindAsync("at-the-cutoff")).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task Stale_detection_with_every_heartbeat_at_or_after_the_cutoff_moves_nothing()
    {
        await BoundaryWorkersInAsync(WorkerStatus.Active);
        await Workers(w => w.RemoveAsync(WorkerId.From("a-tick-before"), null, TestChange.Now, CancellationToken.None));
        var run = new StaleDetectionRun(Now, Cutoff, GraceStartsAt: Now.AddHours(-1), Threshold: 0.5, MinimumFleet: 10, "stale-detection job");

        var outcome = await Storage.InScopeAsync<ILifecycleControl, StaleDetectionOutcome>(c => c.DetectStaleAsync(run, CancellationToken.None));

        outcome.MarkedOffline.Should().BeEmpty();
        outcome.Held.Should().BeEmpty();
    }

    [Test]
    public async Task The_last_heartbeat_moves_only_forward_even_by_a_microsecond()
    {
        await RegisterAsync("worker");
        await HeartbeatAsync("worker", Now);

        await HeartbeatAsync("worker", Now.AddTicks(-10));
        (await FindAsync("worker")).LastHeartbeatAt.Should().Be(Now);
        await HeartbeatAsync("worker", Now);
        (await FindAsync("worker")).LastHeartbeatAt.Should().Be(Now);
        await HeartbeatAsync("worker", Now.AddTicks(10));
        (await FindAsync("worker")).LastHeartbeatAt.Should().Be(Now.AddTicks(10));
        (await FindAsync("worker")).HeartbeatsRecorded.Should().Be(4, "an older or equal heartbeat still counts");
    }

    /// <summary>The three boundary workers, their last heartbeat a tick before, at and a tick after the cutoff, put into
    /// <paramref name="status"/> by sweeps whose cutoffs are far from theirs.</summary>
    private async Task BoundaryWorkersInAsync(WorkerStatus status)
    {
        await RegisterAsync(Boundary);
        await HeartbeatAsync("a-tick-before", Cutoff.AddTicks(-1));
        await HeartbeatAsync("at-the-cutoff", Cutoff);
        await HeartbeatAsync("a-tick-after", Cutoff.AddTicks(1));
        if (status is WorkerStatus.Active or WorkerStatus.Offline)
        {
            (await SweepAsync(LifecycleSweep.Activation, Cutoff.AddMinutes(-1))).Should().HaveCount(3);
        }

        if (status is WorkerStatus.Offline)
        {
            (await SweepAsync(LifecycleSweep.StaleDetection, Cutoff.AddMinutes(1))).Should().HaveCount(3);
        }
    }
}
