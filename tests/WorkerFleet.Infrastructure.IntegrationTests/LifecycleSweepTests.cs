using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.IntegrationTests;

public class LifecycleSweepTests(StorageProvider provider) : StorageTestBase(provider)
{
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-2);

    [Test]
    public async Task Activation_moves_pending_workers_with_a_heartbeat_at_or_after_the_cutoff_only()
    {
        await RegisterAsync("at-cutoff", "recent", "stale", "silent", "failed");
        await HeartbeatAsync("at-cutoff", Cutoff);
        await HeartbeatAsync("recent", Now);
        await HeartbeatAsync("stale", Cutoff.AddTicks(-10));
        await HeartbeatAsync("failed", Now);
        await SetStatusAsync("failed", WorkerStatus.Failed);

        var moved = await SweepAsync(LifecycleSweep.Activation, Cutoff);

        moved.Select(id => id.Value).Should().Equal("at-cutoff", "recent");
        (await FindAsync("at-cutoff")).Status.Should().Be(WorkerStatus.Active);
        (await FindAsync("stale")).Status.Should().Be(WorkerStatus.Pending);
        (await FindAsync("silent")).Status.Should().Be(WorkerStatus.Pending);
        (await FindAsync("failed")).Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task Stale_detection_moves_active_workers_without_a_recent_heartbeat_only()
    {
        await RegisterAsync("fresh", "stale", "pending-stale");
        await HeartbeatAsync("fresh", Now);
        await HeartbeatAsync("stale", Now);
        await HeartbeatAsync("pending-stale", Cutoff.AddMinutes(-5));
        await SweepAsync(LifecycleSweep.Activation, Cutoff);
        var later = Now.AddMinutes(1);
        await HeartbeatAsync("fresh", later);

        var moved = await SweepAsync(LifecycleSweep.StaleDetection, later.AddMinutes(-0.5));

        moved.Select(id => id.Value).Should().Equal("stale");
        (await FindAsync("stale")).Status.Should().Be(WorkerStatus.Offline);
        (await FindAsync("fresh")).Status.Should().Be(WorkerStatus.Active);
        (await FindAsync("pending-stale")).Status.Should().Be(WorkerStatus.Pending);
    }

    [Test]
    public async Task Stale_detection_at_the_exact_cutoff_keeps_a_heartbeat_at_it_and_takes_one_a_microsecond_older_and_none()
    {
        await RegisterAsync("at-cutoff", "just-before");
        await HeartbeatAsync("at-cutoff", Cutoff);
        await HeartbeatAsync("just-before", Cutoff.AddTicks(-10));
        (await SweepAsync(LifecycleSweep.Activation, Cutoff.AddMinutes(-1))).Should().HaveCount(2);
        var neverBeat = Worker.Restore(WorkerId.From("never-beat"), NewWorker("never-beat").Configuration, WorkerStatus.Active, Now,
            lastHeartbeatAt: null, heartbeatsRecorded: 0, version: 1, tokenHash: null, schedulable: true);
        (await Workers(w => w.TryAddAsync(neverBeat, "test", CancellationToken.None))).Should().BeTrue();

        var moved = await SweepAsync(LifecycleSweep.StaleDetection, Cutoff);

        moved.Select(id => id.Value).Should().Equal("just-before", "never-beat");
        (await FindAsync("at-cutoff")).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task The_full_cycle_pending_active_offline_active_bumps_the_version_each_time()
    {
        await RegisterAsync("worker");
        await HeartbeatAsync("worker", Now);

        (await SweepAsync(LifecycleSweep.Activation, Cutoff)).Should().ContainSingle();
        (await SweepAsync(LifecycleSweep.StaleDetection, Now.AddMinutes(1))).Should().ContainSingle();
        await HeartbeatAsync("worker", Now.AddMinutes(3));
        (await SweepAsync(LifecycleSweep.Reactivation, Now.AddMinutes(1))).Should().ContainSingle();

        var worker = await FindAsync("worker");
        worker.Status.Should().Be(WorkerStatus.Active);
        worker.Version.Should().Be(3);
    }

    [Test]
    public async Task A_failed_worker_that_heartbeats_is_moved_by_no_sweep()
    {
        await RegisterAsync("failed");
        await SetStatusAsync("failed", WorkerStatus.Failed);
        await HeartbeatAsync("failed", Now);

        foreach (var sweep in new[] { LifecycleSweep.Activation, LifecycleSweep.StaleDetection, LifecycleSweep.Reactivation })
        {
            (await SweepAsync(sweep, Cutoff)).Should().BeEmpty();
        }

        (await FindAsync("failed")).Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task Reactivation_brings_back_offline_workers_that_heartbeat_again()
    {
        await RegisterAsync("back", "gone");
        await HeartbeatAsync("back", Now);
        await HeartbeatAsync("gone", Now);
        await SweepAsync(LifecycleSweep.Activation, Cutoff);
        var later = Now.AddMinutes(5);
        await SweepAsync(LifecycleSweep.StaleDetection, later.AddMinutes(-2));
        await HeartbeatAsync("back", later);

        var moved = await SweepAsync(LifecycleSweep.Reactivation, later.AddMinutes(-2));

        moved.Select(id => id.Value).Should().Equal("back");
        (await FindAsync("back")).Status.Should().Be(WorkerStatus.Active);
        (await FindAsync("gone")).Status.Should().Be(WorkerStatus.Offline);
    }

    [Test]
    public async Task Sweeps_with_nothing_to_move_run_while_another_session_holds_what_a_writer_needs()
    {
        await RegisterAsync("silent");
        await using var holder = await HoldWritersLockAsync(Journal.PostgresLock);

        // Awaited while the lock is held: a sweep that waited for it would fail at its command timeout instead.
        var moved = await Task.WhenAll(SweepAsync(LifecycleSweep.Activation, Cutoff), SweepAsync(LifecycleSweep.Reactivation, Cutoff));

        moved.Should().AllSatisfy(ids => ids.Should().BeEmpty(), "a sweep that finds nothing to move does not take the lock its writes would");
    }

    [Test]
    public async Task Concurrent_sweeps_never_move_a_worker_twice()
    {
        var ids = Enumerable.Range(0, 60).Select(i => $"worker-{i:D2}").ToArray();
        await RegisterAsync(ids);
        foreach (var id in ids)
        {
            await HeartbeatAsync(id, Now);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SweepAsync(LifecycleSweep.Activation, Cutoff)));

        var moved = results.SelectMany(r => r).Select(id => id.Value).ToList();
        moved.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(ids);
        foreach (var id in ids)
        {
            var worker = await FindAsync(id);
            worker.Status.Should().Be(WorkerStatus.Active);
            worker.Version.Should().Be(1);
        }
    }

    [Test]
    public async Task A_sweep_racing_an_operator_status_change_leaves_a_legal_state()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1", Now);
        var worker = await FindAsync("worker-1");
        worker.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator);

        var sweep = SweepAsync(LifecycleSweep.Activation, Cutoff);
        var save = Workers(w => w.TrySaveStatusAsync(worker, expectedVersion: 0, WorkerStatus.Pending, TestChange.Now, CancellationToken.None));
        await Task.WhenAll(sweep, save);

        var stored = await FindAsync("worker-1");
        (sweep.Result.Count + (save.Result ? 1 : 0)).Should().Be(1, "exactly one of the two changes wins the compare-and-set");
        stored.Status.Should().Be(save.Result ? WorkerStatus.Failed : WorkerStatus.Active);
        stored.Version.Should().Be(1);
    }

    [Test]
    public async Task Sweeps_racing_unregisters_leave_each_worker_either_gone_with_its_history_or_moved_once()
    {
        var ids = Enumerable.Range(0, 30).Select(i => $"worker-{i:D2}").ToArray();
        await RegisterAsync(ids);
        foreach (var id in ids)
        {
            await HeartbeatAsync(id, Now);
        }

        var removals = ids.Where((_, i) => i % 2 == 0)
            .Select(id => Workers(w => w.RemoveAsync(WorkerId.From(id), null, TestChange.Now, CancellationToken.None)));
        var sweeps = Enumerable.Range(0, 3).Select(_ => SweepAsync(LifecycleSweep.Activation, Cutoff));
        await Task.WhenAll(removals.Cast<Task>().Concat(sweeps));

        foreach (var (id, index) in ids.Select((id, index) => (id, index)))
        {
            var worker = await Workers(w => w.FindAsync(WorkerId.From(id), CancellationToken.None));
            if (index % 2 == 0)
            {
                worker.Should().BeNull();
            }
            else
            {
                worker!.Status.Should().Be(WorkerStatus.Active);
                worker.Version.Should().Be(1);
            }
        }

        var orphans = await Database(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.Heartbeats, h => !db.Workers.Any(w => w.Id == h.WorkerId)));
        orphans.Should().Be(0);
    }
}
