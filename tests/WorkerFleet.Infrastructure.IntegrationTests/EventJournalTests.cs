using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The journal: every change writes its event in its own transaction, and sequences become visible in order.</summary>
public class EventJournalTests(StorageProvider provider) : StorageTestBase(provider)
{
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-2);

    [Test]
    public async Task Each_change_of_a_worker_appends_one_event_that_says_what_changed_and_who_changed_it()
    {
        await RegisterAsync("worker-1");
        var worker = await FindAsync("worker-1");
        worker.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator).Should().BeNull();
        var operatorChange = new Change(Now.AddMinutes(1), "admin key");
        (await Workers(w => w.TrySaveStatusAsync(worker, 0, WorkerStatus.Pending, operatorChange, CancellationToken.None))).Should().BeTrue();
        var rotation = new Change(Now.AddMinutes(2), "admin key");
        (await Workers(w => w.TryReplaceTokenAsync(worker.Id, WorkerToken.Issue().Hash, rotation, CancellationToken.None))).Should().BeTrue();
        var removal = new Change(Now.AddMinutes(3), "worker worker-1");
        (await Workers(w => w.RemoveAsync(worker.Id, null, removal, CancellationToken.None))).Should().BeTrue();

        var events = await ReadAllAsync();

        events.Select(e => e.Type).Should().Equal(
            WorkerEventType.Registered, WorkerEventType.StatusChanged, WorkerEventType.TokenRotated, WorkerEventType.Unregistered);
        events.Should().OnlyContain(e => e.WorkerId == worker.Id);
        events.Select(e => e.Sequence).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        events[0].Should().Match<WorkerEvent>(e => e.At == Now && e.To == WorkerStatus.Pending && e.From == null && e.Actor == "test");
        events[1].Should().Match<WorkerEvent>(e => e.At == operatorChange.At && e.From == WorkerStatus.Pending && e.To == WorkerStatus.Failed
            && e.Trigger == TransitionTrigger.Operator && e.Actor == "admin key");
        events[1].Reason.Should().Be("Set to Failed by admin key.");
        events[2].Should().Match<WorkerEvent>(e => e.At == rotation.At && e.From == null && e.To == null && e.Actor == "admin key");
        events[3].Should().Match<WorkerEvent>(e => e.At == removal.At && e.From == WorkerStatus.Failed && e.Actor == "worker worker-1");
    }

    [Test]
    public async Task A_cordon_and_its_end_are_events_with_the_operators_reason_and_a_sweep_goes_on_regardless()
    {
        await RegisterAsync("worker-1");
        var id = WorkerId.From("worker-1");
        var cordon = new Change(Now.AddMinutes(1), "admin key");
        (await Workers(w => w.TrySetSchedulableAsync(id, false, "disk swap", cordon, CancellationToken.None))).Should().BeTrue();
        (await SweepAsync(LifecycleSweep.Activation, Cutoff)).Should().BeEmpty("it never sent a heartbeat");
        await HeartbeatAsync("worker-1", Now);
        (await SweepAsync(LifecycleSweep.Activation, Cutoff)).Should().Equal(id);
        (await Workers(w => w.TrySetSchedulableAsync(id, true, null, new Change(Now.AddMinutes(2), "admin key"), CancellationToken.None))).Should().BeTrue();

        var events = await ReadAllAsync();

        events.Select(e => e.Type).Should().Equal(
            WorkerEventType.Registered, WorkerEventType.Cordoned, WorkerEventType.StatusChanged, WorkerEventType.Uncordoned);
        events[1].Should().Match<WorkerEvent>(e => e.At == cordon.At && e.From == null && e.To == null && e.Note == "disk swap");
        events[1].Reason.Should().Be("Taken out of scheduling by admin key: disk swap.");
        events[3].Reason.Should().Be("Returned to scheduling by admin key.");
        (await FindAsync("worker-1")).Should().Match<Worker>(w => w.Status == WorkerStatus.Active && w.Schedulable);
    }

    [Test]
    public async Task The_followers_of_the_journal_are_woken_after_each_change_and_each_sweep_that_moved_someone_and_not_after_one_that_changed_nothing()
    {
        var signal = Storage.Services.GetRequiredService<JournalSignal>();
        var afterRegistration = signal.Next;
        await RegisterAsync("worker-1");
        afterRegistration.IsCompleted.Should().BeTrue("the registration's event was committed");
        var afterRefusedRegistration = signal.Next;
        (await Workers(w => w.TryAddAsync(NewWorker("worker-1"), "test", CancellationToken.None))).Should().BeFalse();
        afterRefusedRegistration.IsCompleted.Should().BeFalse("a registration of a taken id committed no event");
        var id = WorkerId.From("worker-1");

        var afterCordon = signal.Next;
        (await Workers(w => w.TrySetSchedulableAsync(id, false, null, TestChange.Now, CancellationToken.None))).Should().BeTrue();
        afterCordon.IsCompleted.Should().BeTrue("a change's event was committed");

        var afterIdleSweep = signal.Next;
        (await SweepAsync(LifecycleSweep.Activation, Cutoff)).Should().BeEmpty();
        afterIdleSweep.IsCompleted.Should().BeFalse("a sweep that moved nobody committed no event");

        await HeartbeatAsync("worker-1", Now);
        (await SweepAsync(LifecycleSweep.Activation, Cutoff)).Should().Equal(id);
        afterIdleSweep.IsCompleted.Should().BeTrue("the sweep's event was committed");
    }

    [Test]
    public async Task A_change_that_changes_nothing_writes_no_event()
    {
        await RegisterAsync("worker-1");
        var worker = await FindAsync("worker-1");
        worker.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator).Should().BeNull();
        var ghost = WorkerId.From("ghost");

        (await Workers(w => w.TryAddAsync(NewWorker("worker-1"), "test", CancellationToken.None))).Should().BeFalse();
        (await Workers(w => w.TrySaveStatusAsync(worker, 7, WorkerStatus.Pending, TestChange.Now, CancellationToken.None))).Should().BeFalse();
        (await Workers(w => w.TryReplaceTokenAsync(ghost, WorkerToken.Issue().Hash, TestChange.Now, CancellationToken.None))).Should().BeFalse();
        (await Workers(w => w.RemoveAsync(worker.Id, WorkerToken.Issue().Hash, TestChange.Now, CancellationToken.None))).Should().BeFalse();
        (await Workers(w => w.RemoveAsync(ghost, null, TestChange.Now, CancellationToken.None))).Should().BeFalse();
        (await SweepAsync(LifecycleSweep.StaleDetection, Cutoff)).Should().BeEmpty();

        (await ReadAllAsync()).Select(e => e.Type).Should().Equal(WorkerEventType.Registered);
    }

    [Test]
    public async Task A_sweep_journals_each_worker_it_moves_with_the_heartbeat_and_the_cutoff_that_decided_it()
    {
        await RegisterAsync("b-recent", "a-recent", "stale", "silent");
        await HeartbeatAsync("a-recent", Now);
        await HeartbeatAsync("b-recent", Cutoff);
        await HeartbeatAsync("stale", Cutoff.AddTicks(-10));
        var run = new Change(Now, "activation job");

        var moved = await Workers(w => w.ApplySweepAsync(LifecycleSweep.Activation, Cutoff, run, CancellationToken.None));

        moved.Select(id => id.Value).Should().Equal("a-recent", "b-recent");
        var events = (await ReadAllAsync()).Where(e => e.Type == WorkerEventType.StatusChanged).ToList();
        events.Select(e => e.WorkerId.Value).Should().Equal("a-recent", "b-recent");
        events.Should().OnlyContain(e => e.From == WorkerStatus.Pending && e.To == WorkerStatus.Active && e.Trigger == TransitionTrigger.Activation
            && e.Actor == "activation job" && e.At == Now && e.Cutoff == Cutoff);
        events.Select(e => e.LastHeartbeatAt).Should().Equal(Now, Cutoff);
        events[1].Reason.Should().Be($"Heartbeat {Cutoff:O} is at or after the cutoff {Cutoff:O}.");
    }

    [Test]
    public async Task Stale_detection_journals_the_workers_it_takes_offline_and_none_of_a_region_it_holds()
    {
        await RegisterAsync("stale-1", "fresh-1");
        await HeartbeatAsync("stale-1", Cutoff.AddMinutes(-1));
        await HeartbeatAsync("fresh-1", Now);
        await SweepAsync(LifecycleSweep.Activation, Cutoff.AddMinutes(-5));
        var before = (await ReadAllAsync()).Count;

        var outcome = await Storage.InScopeAsync<ILifecycleControl, StaleDetectionOutcome>(c => c.DetectStaleAsync(
            new StaleDetectionRun(Now, Cutoff, Now.AddHours(-1), Threshold: 0.9, MinimumFleet: 10, "stale-detection job"), CancellationToken.None));

        outcome.MarkedOffline.Select(id => id.Value).Should().Equal("stale-1");
        var offline = (await ReadAllAsync()).Skip(before).Should().ContainSingle().Subject;
        offline.Should().Match<WorkerEvent>(e => e.WorkerId == WorkerId.From("stale-1") && e.From == WorkerStatus.Active
            && e.To == WorkerStatus.Offline && e.Trigger == TransitionTrigger.StaleDetection && e.Actor == "stale-detection job"
            && e.LastHeartbeatAt == Cutoff.AddMinutes(-1) && e.Cutoff == Cutoff);
        offline.Reason.Should().Be($"Last heartbeat {Cutoff.AddMinutes(-1):O} is before the cutoff {Cutoff:O}.");
    }

    [Test]
    public async Task A_timeline_reads_newest_first_in_pages_and_outlives_its_worker()
    {
        await RegisterAsync("worker-1", "worker-2");
        for (var i = 0; i < 3; i++)
        {
            await Workers(w => w.TryReplaceTokenAsync(WorkerId.From("worker-1"), WorkerToken.Issue().Hash, TestChange.Now, CancellationToken.None));
        }

        await Workers(w => w.RemoveAsync(WorkerId.From("worker-1"), null, TestChange.Now, CancellationToken.None));

        var first = await Journal(j => j.ReadForWorkerAsync(WorkerId.From("worker-1"), null, 3, CancellationToken.None));
        var rest = await Journal(j => j.ReadForWorkerAsync(WorkerId.From("worker-1"), first[^1].Sequence, 3, CancellationToken.None));

        first.Select(e => e.Type).Should().Equal(WorkerEventType.Unregistered, WorkerEventType.TokenRotated, WorkerEventType.TokenRotated);
        rest.Select(e => e.Type).Should().Equal(WorkerEventType.TokenRotated, WorkerEventType.Registered);
        first.Concat(rest).Select(e => e.Sequence).Should().BeInDescendingOrder();
        first.Concat(rest).Should().OnlyContain(e => e.WorkerId == WorkerId.From("worker-1"));
    }

    [Test]
    public async Task Retention_deletes_the_events_from_before_its_cutoff_and_keeps_the_rest()
    {
        await RegisterAsync("worker-1");
        await Workers(w => w.TryReplaceTokenAsync(WorkerId.From("worker-1"), WorkerToken.Issue().Hash, new Change(Now.AddDays(1), "admin key"), CancellationToken.None));
        await Workers(w => w.TryReplaceTokenAsync(WorkerId.From("worker-1"), WorkerToken.Issue().Hash, new Change(Now.AddDays(2), "admin key"), CancellationToken.None));

        var events = await ReadAllAsync();
        (await Journal(j => j.BoundsAsync(CancellationToken.None))).Should().Be(new JournalBounds(0, events[^1].Sequence));
        var first = events[0].Sequence;

        (await Journal(j => j.DeleteOlderThanAsync(Now.AddDays(1), CancellationToken.None))).Should().Be(1);

        (await ReadAllAsync()).Select(e => e.At).Should().Equal(Now.AddDays(1), Now.AddDays(2));
        (await Journal(j => j.BoundsAsync(CancellationToken.None))).Should().Be(new JournalBounds(first, events[^1].Sequence));
        (await Journal(j => j.DeleteOlderThanAsync(Now, CancellationToken.None))).Should().Be(0);
        (await Journal(j => j.BoundsAsync(CancellationToken.None))).DeletedThrough.Should().Be(first, "a later retention that deletes nothing keeps the boundary");
        await Journal(j => j.DeleteOlderThanAsync(Now.AddDays(3), CancellationToken.None));
        (await Journal(j => j.BoundsAsync(CancellationToken.None))).Should().Be(
            new JournalBounds(events[^1].Sequence, events[^1].Sequence), "with every event deleted, the latest is the boundary");
    }

    [Test]
    public async Task A_reader_following_concurrent_writers_sees_every_event_exactly_once_in_sequence_order()
    {
        // Writers of every kind race while a reader keeps asking for what follows the last sequence it saw. If a
        // sequence could commit after a higher one, the reader would step past it and never see it.
        var ids = Enumerable.Range(0, 120).Select(i => $"worker-{i:D3}").ToArray();
        using var writing = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var seen = new ConcurrentQueue<long>();
        var reader = Task.Run(async () =>
        {
            long after = 0;
            while (true)
            {
                deadline.Token.ThrowIfCancellationRequested();
                var stop = writing.IsCancellationRequested;
                var page = await Journal(j => j.ReadAfterAsync(after, 50, CancellationToken.None));
                foreach (var e in page)
                {
                    seen.Enqueue(e.Sequence);
                    after = e.Sequence;
                }

                if (stop && page.Count == 0)
                {
                    return;
                }
            }
        });

        // The first half is registered up front; the second half registers through two instances, each with its own
        // group commit, while the first half is changed.
        var (early, late) = (ids[..60], ids[60..]);
        foreach (var id in early)
        {
            (await Workers(w => w.TryAddAsync(NewWorker(id, token: TokenFor(id)), "test", CancellationToken.None))).Should().BeTrue();
        }

        await Task.WhenAll(early.Select(id => HeartbeatAsync(id, Now)));
        await using var other = Storage.NewInstance();
        var registrations = late.Select(async (id, i) =>
        {
            await using var scope = (i % 2 == 0 ? Storage.Services : other).CreateAsyncScope();
            (await scope.ServiceProvider.GetRequiredService<IWorkerRepository>().TryAddAsync(NewWorker(id), "test", CancellationToken.None))
                .Should().BeTrue();
        });
        var changes = early.Select((id, i) => (i % 3) switch
        {
            0 => (Task)Workers(w => w.TryReplaceTokenAsync(WorkerId.From(id), WorkerToken.Issue().Hash, TestChange.Now, CancellationToken.None)),
            1 => Workers(w => w.RemoveAsync(WorkerId.From(id), null, TestChange.Now, CancellationToken.None)),
            _ => SweepAsync(LifecycleSweep.Activation, Cutoff),
        }).Concat(registrations);
        await Task.WhenAll(changes);
        await writing.CancelAsync();
        await reader;

        var journal = (await ReadAllAsync()).Select(e => e.Sequence).ToList();
        journal.Should().HaveCountGreaterThan(ids.Length + early.Length);
        seen.Should().Equal(journal, "the reader saw every committed event, each once, in sequence order");
    }

    private Task<IReadOnlyList<WorkerEvent>> ReadAllAsync() => Journal(j => j.ReadAfterAsync(0, 10_000, CancellationToken.None));

    private Task<T> Journal<T>(Func<IEventJournal, Task<T>> action) => Storage.InScopeAsync(action);
}
