using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>Stale detection with per-region protection, and the control state every instance shares.</summary>
public class LifecycleControlTests(StorageProvider provider) : StorageTestBase(provider)
{
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-2);

    [Test]
    public async Task Regions_over_the_threshold_are_held_and_recorded_while_another_is_swept()
    {
        var dark = await ActiveFleetAsync("dark", "eu-west-1", staleCount: 8);
        var darker = await ActiveFleetAsync("darker", "ap-south-1", staleCount: 9);
        var healthy = await ActiveFleetAsync("healthy", "us-east-1", staleCount: 2);

        var outcome = await DetectAsync(Run());

        outcome.MarkedOffline.Select(id => id.Value).Should().Equal(healthy[..2]);
        outcome.Held.Should().BeEquivalentTo([new RegionHold("eu-west-1", Now, 8, 10), new RegionHold("ap-south-1", Now, 9, 10)]);
        (await FindAsync(dark[0])).Status.Should().Be(WorkerStatus.Active);
        (await FindAsync(darker[0])).Status.Should().Be(WorkerStatus.Active);
        (await Control(c => c.ReadAsync(Now, CancellationToken.None))).Held.Should().BeEquivalentTo(outcome.Held);
    }

    [Test]
    public async Task A_region_held_again_keeps_the_start_of_its_hold_and_a_recovered_one_loses_it()
    {
        await ActiveFleetAsync("dark", "eu-west-1", staleCount: 8);
        (await DetectAsync(Run())).Held.Should().ContainSingle();

        var later = await DetectAsync(Run() with { Now = Now.AddMinutes(1) });
        later.Held.Should().Equal(new RegionHold("eu-west-1", Now, 8, 10));

        var relaxed = await DetectAsync(Run() with { Threshold = 0.9 });
        relaxed.Held.Should().BeEmpty();
        relaxed.MarkedOffline.Should().HaveCount(8);
        (await Control(c => c.ReadAsync(Now, CancellationToken.None))).Held.Should().BeEmpty();
    }

    [Test]
    public async Task Two_stale_detections_at_once_take_one_override_once()
    {
        var dark = await ActiveFleetAsync("dark", "eu-west-1", staleCount: 10);
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride("eu-west-1", Now, "admin key", Now.AddMinutes(10)), CancellationToken.None)));
        await using var other = Storage.NewInstance();

        var outcomes = await Task.WhenAll(new[] { Storage.Services, other }.Select(async instance =>
        {
            await using var scope = instance.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ILifecycleControl>().DetectStaleAsync(Run(), CancellationToken.None);
        }));

        outcomes.SelectMany(o => o.OverridesUsed).Should().ContainSingle();
        outcomes.SelectMany(o => o.MarkedOffline).Select(id => id.Value).Should().BeEquivalentTo(dark, "each worker moves once");
        outcomes.Should().ContainSingle(o => o.Held.Count == 0 && o.MarkedOffline.Count == 10);
    }

    [Test]
    public async Task A_grace_period_stored_by_one_instance_makes_every_instance_wait_one_timeout_from_its_start()
    {
        var dark = await ActiveFleetAsync("dark", "eu-west-1", staleCount: 1);
        var start = Now.AddMinutes(-1);
        await Control(c => Done(c.StartGraceAsync(start, CancellationToken.None)));
        await Control(c => Done(c.StartGraceAsync(Now.AddMinutes(-3), CancellationToken.None)));

        var waiting = await DetectAsync(Run());

        waiting.WaitingUntil.Should().Be(start + (Now - Cutoff), "an earlier start never shortens the grace of a later one");
        waiting.MarkedOffline.Should().BeEmpty();
        var later = Now + (start - Cutoff);
        var after = await DetectAsync(Run() with { Now = later, Cutoff = start });
        after.WaitingUntil.Should().BeNull("a heartbeat at the grace period's start is recent at that cutoff");
        after.MarkedOffline.Select(id => id.Value).Should().Equal(dark[0]);
    }

    [Test]
    public async Task An_expired_override_is_neither_listed_nor_used()
    {
        await ActiveFleetAsync("dark", "eu-west-1", staleCount: 10);
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride(null, Now.AddMinutes(-11), "admin key", Now.AddMinutes(-1)), CancellationToken.None)));

        (await Control(c => c.ReadAsync(Now, CancellationToken.None))).Overrides.Should().BeEmpty();
        var outcome = await DetectAsync(Run());

        outcome.OverridesUsed.Should().BeEmpty();
        outcome.Held.Should().ContainSingle();
    }

    [Test]
    public async Task The_control_state_lists_holds_by_start_then_region_and_live_overrides_by_arming_time()
    {
        await ActiveFleetAsync("south", "sa-east-1", staleCount: 8);
        await ActiveFleetAsync("asia", "ap-south-1", staleCount: 8);
        (await DetectAsync(Run())).Held.Select(h => h.Region).Should().Equal("ap-south-1", "sa-east-1");
        await ActiveFleetAsync("europe", "eu-west-1", staleCount: 8);
        await DetectAsync(Run() with { Now = Now.AddMinutes(1) });
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride("us-east-1", Now.AddMinutes(2), "admin key", Now.AddMinutes(10)), CancellationToken.None)));
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride(null, Now.AddMinutes(1), "admin key", Now.AddMinutes(10)), CancellationToken.None)));
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride("us-west-2", Now, "admin key", Now.AddMinutes(5)), CancellationToken.None)));

        var state = await Control(c => c.ReadAsync(Now.AddMinutes(5), CancellationToken.None));

        state.Held.Select(h => (h.Region, h.Since)).Should().Equal(
            ("ap-south-1", Now), ("sa-east-1", Now), ("eu-west-1", Now.AddMinutes(1)));
        state.Overrides.Select(o => o.Region).Should().Equal(new string?[] { null, "us-east-1" }, "the one expiring at the reading's instant is over");
    }

    [Test]
    public async Task An_override_that_expires_at_the_run_is_dropped_rather_than_used()
    {
        var dark = await ActiveFleetAsync("dark", "eu-west-1", staleCount: 10);
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride("eu-west-1", Now.AddMinutes(-10), "admin key", Now), CancellationToken.None)));

        var outcome = await DetectAsync(Run());

        outcome.OverridesUsed.Should().BeEmpty();
        outcome.Held.Should().ContainSingle();
        (await FindAsync(dark[0])).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task A_grace_period_a_stale_detection_starts_lasts_for_the_runs_after_it()
    {
        await ActiveFleetAsync("dark", "eu-west-1", staleCount: 1);
        var start = Now.AddMinutes(-1);

        (await DetectAsync(Run() with { GraceStartsAt = start })).WaitingUntil.Should().Be(start + (Now - Cutoff));
        var next = await DetectAsync(Run());

        next.WaitingUntil.Should().Be(start + (Now - Cutoff), "the first run stored the start it was given");
        next.MarkedOffline.Should().BeEmpty();
    }

    [Test]
    public async Task The_followers_of_the_journal_are_woken_after_a_stale_detection_that_moved_someone_and_not_after_one_that_moved_nobody()
    {
        var signal = Storage.Services.GetRequiredService<JournalSignal>();
        await ActiveFleetAsync("fleet", "eu-west-1", staleCount: 1);

        var afterMove = signal.Next;
        (await DetectAsync(Run())).MarkedOffline.Should().ContainSingle();
        afterMove.IsCompleted.Should().BeTrue("the moved worker's event was committed");

        var afterIdle = signal.Next;
        (await DetectAsync(Run())).MarkedOffline.Should().BeEmpty();
        afterIdle.IsCompleted.Should().BeFalse("a run that moved nobody committed no event");
    }

    [Test]
    public async Task A_stale_detection_with_nothing_to_change_runs_while_another_session_holds_what_its_writes_need()
    {
        await ActiveFleetAsync("fleet", "eu-west-1", staleCount: 0);
        (await DetectAsync(Run())).WaitingUntil.Should().BeNull("the grace period is stored, and over");
        await using var holder = await HoldWritersLockAsync(
            "LOCK TABLE stale_detection_grace, mass_failure_holds, mass_failure_overrides, workers IN EXCLUSIVE MODE");

        // Awaited while the locks are held: a run that waited for them would fail at its command timeout instead.
        var outcome = await DetectAsync(Run() with { Now = Now.AddMinutes(1) });

        outcome.Should().BeEquivalentTo(new StaleDetectionOutcome(null, [], [], []));
    }

    [Test]
    public async Task A_run_with_nothing_stale_waits_out_a_grace_period_that_a_later_start_began()
    {
        await ActiveFleetAsync("fleet", "eu-west-1", staleCount: 0);
        (await DetectAsync(Run())).WaitingUntil.Should().BeNull();
        var start = Now.AddMinutes(-1);

        var restarted = await DetectAsync(Run() with { GraceStartsAt = start });
        var next = await DetectAsync(Run());

        restarted.WaitingUntil.Should().Be(start + (Now - Cutoff), "an instance started a minute ago");
        next.WaitingUntil.Should().Be(start + (Now - Cutoff), "the run before stored that start");
    }

    [Test]
    public async Task A_run_with_nothing_stale_releases_the_hold_of_a_region_that_came_back()
    {
        await ActiveFleetAsync("dark", "eu-west-1", staleCount: 8);
        (await DetectAsync(Run())).Held.Should().ContainSingle();

        var next = await DetectAsync(Run() with { Now = Now.AddMinutes(1), Cutoff = Cutoff.AddMinutes(-1) });

        next.Should().BeEquivalentTo(new StaleDetectionOutcome(null, [], [], []));
        (await Control(c => c.ReadAsync(Now.AddMinutes(1), CancellationToken.None))).Held.Should().BeEmpty();
    }

    [Test]
    public async Task A_run_with_nothing_stale_drops_the_overrides_that_expired()
    {
        await ActiveFleetAsync("fleet", "eu-west-1", staleCount: 0);
        await DetectAsync(Run());
        await Control(c => Done(c.ArmOverrideAsync(new MassFailureOverride(null, Now.AddMinutes(-11), "admin key", Now.AddMinutes(-1)), CancellationToken.None)));

        await DetectAsync(Run());

        (await Database(db => db.MassFailureOverrides.CountAsync())).Should().Be(0);
    }

    private static StaleDetectionRun Run() => new(Now, Cutoff, Now.AddHours(-1), 0.5, 10, "stale-detection job");

    private Task<StaleDetectionOutcome> DetectAsync(StaleDetectionRun run) => Control(c => c.DetectStaleAsync(run, CancellationToken.None));

    private Task<T> Control<T>(Func<ILifecycleControl, Task<T>> action) => Storage.InScopeAsync(action);

    private static async Task<bool> Done(Task task)
    {
        await task;
        return true;
    }

    /// <summary>Ten Active workers of a region, the first <paramref name="staleCount"/> with a heartbeat before the cutoff.</summary>
    private async Task<string[]> ActiveFleetAsync(string prefix, string region, int staleCount)
    {
        var ids = Enumerable.Range(0, 10).Select(i => $"{prefix}-{i}").ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var worker = Worker.Register(WorkerId.From(ids[i]), NewWorker(ids[i]).Configuration with { Region = region }, Now, WorkerToken.Issue());
            (await Workers(w => w.TryAddAsync(worker, "test", CancellationToken.None))).Should().BeTrue();
            await Heartbeats(h => h.RecordAsync(worker.Id, worker.TokenHash!, i < staleCount ? Cutoff.AddSeconds(-1) : Now, 10, CancellationToken.None));
        }

        (await SweepAsync(LifecycleSweep.Activation, Cutoff.AddMinutes(-1))).Should().HaveCount(ids.Length);
        return ids;
    }
}
