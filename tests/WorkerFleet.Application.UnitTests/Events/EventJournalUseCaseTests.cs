using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Events.Commands;
using WorkerFleet.Application.Events.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Events;

/// <summary>The journal as the use cases write and read it: who did what, why, and a feed that follows it.</summary>
public class EventJournalUseCaseTests : ApplicationTest
{
    [Test]
    public async Task A_workers_timeline_names_who_made_each_change_and_why_newest_first()
    {
        App.Caller.Name = "registration key";
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1");
        var activatedAt = Clock.GetUtcNow();
        (await SendAsync(new ActivatePendingWorkers())).Value.Should().ContainSingle();
        App.Caller.Name = "admin key";
        (await SendAsync(new UpdateWorkerStatus("worker-1", "failed"))).IsSuccess.Should().BeTrue();

        var timeline = (await SendAsync(new GetWorkerEvents("worker-1"))).Value;

        timeline.NextCursor.Should().BeNull();
        timeline.Items.Select(e => (e.Type, e.From, e.To, e.Trigger, e.Actor)).Should().Equal(
            (WorkerEventType.StatusChanged, WorkerStatus.Active, WorkerStatus.Failed, TransitionTrigger.Operator, "admin key"),
            (WorkerEventType.StatusChanged, WorkerStatus.Pending, WorkerStatus.Active, TransitionTrigger.Activation, "activation job"),
            (WorkerEventType.Registered, null, WorkerStatus.Pending, null, "registration key"));
        timeline.Items[1].Reason.Should().Be(
            $"Heartbeat {activatedAt:O} is at or after the cutoff {activatedAt - App.Options.HeartbeatTimeout:O}.");
        timeline.Items[2].Reason.Should().Be("Registered by registration key.");
    }

    [Test]
    public async Task Stale_detection_says_which_heartbeat_missed_which_cutoff()
    {
        await RegisterActiveFleetAsync("worker", 2);
        var lastHeartbeat = (await GetAsync("worker-001")).LastHeartbeatAt!.Value;
        await PassStartUpGraceAsync();
        await LetOneTimeoutPassAsync(["worker-002"]);
        var cutoff = Clock.GetUtcNow() - App.Options.HeartbeatTimeout;

        (await SendAsync(new MarkStaleWorkersOffline())).Value.Select(id => id.Value).Should().Equal("worker-001");

        var offline = (await SendAsync(new GetWorkerEvents("worker-001", Limit: 1))).Value.Items.Should().ContainSingle().Subject;
        offline.Should().Match<WorkerEvent>(e => e.To == WorkerStatus.Offline && e.Trigger == TransitionTrigger.StaleDetection
            && e.Actor == "stale-detection job" && e.LastHeartbeatAt == lastHeartbeat && e.Cutoff == cutoff);
        offline.Reason.Should().Be($"Last heartbeat {lastHeartbeat:O} is before the cutoff {cutoff:O}.");
    }

    [Test]
    public async Task A_timeline_pages_with_its_cursor_and_is_still_there_after_the_worker_unregistered()
    {
        await RegisterAsync("worker-1");
        await RotateTokenAsync("worker-1");
        await RotateTokenAsync("worker-1");
        (await SendAsync(new UnregisterWorker("worker-1"))).IsSuccess.Should().BeTrue();

        var first = (await SendAsync(new GetWorkerEvents("worker-1", Limit: 3))).Value;
        var rest = (await SendAsync(new GetWorkerEvents("worker-1", Limit: 3, Cursor: first.NextCursor))).Value;

        first.Items.Select(e => e.Type).Should().Equal(WorkerEventType.Unregistered, WorkerEventType.TokenRotated, WorkerEventType.TokenRotated);
        first.NextCursor.Should().NotBeNull();
        rest.Items.Select(e => e.Type).Should().Equal(WorkerEventType.Registered);
        rest.NextCursor.Should().BeNull();
    }

    [Test]
    public async Task A_timeline_of_exactly_one_page_says_there_is_no_next_page()
    {
        await RegisterAsync("worker-1");
        await RotateTokenAsync("worker-1");

        var page = (await SendAsync(new GetWorkerEvents("worker-1", Limit: 2))).Value;

        page.Items.Select(e => e.Type).Should().Equal(WorkerEventType.TokenRotated, WorkerEventType.Registered);
        page.NextCursor.Should().BeNull();
    }

    [Test]
    public async Task The_timeline_of_an_id_that_was_never_registered_is_not_found()
    {
        var result = await SendAsync(new GetWorkerEvents("ghost"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [Test]
    public async Task The_fleets_events_page_oldest_first_after_a_sequence_and_say_where_to_go_on()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await RegisterAsync(id);
        }

        var first = (await SendAsync(new GetEvents(Limit: 2))).Value;
        var second = (await SendAsync(new GetEvents(first.NextAfter, 2))).Value;
        var end = (await SendAsync(new GetEvents(second.NextAfter, 2))).Value;

        first.Items.Select(e => e.WorkerId.Value).Should().Equal("a", "b");
        second.Items.Select(e => e.WorkerId.Value).Should().Equal("c");
        end.Items.Should().BeEmpty();
        end.NextAfter.Should().Be(second.NextAfter, "a consumer that is caught up asks again after the same sequence");
    }

    [TestCase(-1L, 10, "after")]
    [TestCase(0L, 0, "limit")]
    [TestCase(0L, 1001, "limit")]
    public async Task Bad_paging_of_the_journal_is_refused(long after, int limit, string field)
    {
        var result = await SendAsync(new GetEvents(after, limit));

        result.Error.Should().BeOfType<InvalidConfiguration>().Which.Errors.Should().ContainKey(field);
    }

    [TestCase("not-a-cursor!")]
    [TestCase("LTE")]
    [TestCase("YWJj")]
    public async Task A_timeline_cursor_the_service_did_not_issue_is_refused(string cursor)
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new GetWorkerEvents("worker-1", Cursor: cursor));

        result.Error.Should().BeOfType<InvalidConfiguration>().Which.Errors.Should().ContainKey("cursor");
    }

    [Test]
    public async Task Retention_deletes_the_events_older_than_the_retention_period_only()
    {
        await RegisterAsync("old");
        Clock.Advance(TimeSpan.FromDays(7));
        await RegisterAsync("kept");
        Clock.Advance(TimeSpan.FromSeconds(1));

        (await SendAsync(new DeleteExpiredEvents())).Value.Should().Be(1);

        (await SendAsync(new GetEvents())).Value.Items.Select(e => e.WorkerId.Value).Should().Equal(["kept"], "after 0 reads from the oldest event kept");
        (await SendAsync(new DeleteExpiredEvents())).Value.Should().Be(0);
    }

    [Test]
    public async Task A_reader_behind_what_retention_deleted_is_told_where_to_read_on_instead_of_skipping_silently()
    {
        await RegisterAsync("a");
        await RegisterAsync("b");
        await RegisterAsync("c");
        var page = (await SendAsync(new GetEvents(Limit: 1))).Value;
        page.Latest.Should().Be(page.NextAfter + 2);
        Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        await RegisterAsync("d");
        (await SendAsync(new DeleteExpiredEvents())).Value.Should().Be(3);
        var expired = page.Latest;

        (await SendAsync(new GetEvents(page.NextAfter))).Error.Should().Be(new EventsExpired(page.NextAfter, expired));
        (await SendAsync(new GetEvents(expired - 1))).Error.Should().Be(new EventsExpired(expired - 1, expired));
        (await SendAsync(new GetEvents(expired))).Value.Items.Select(e => e.WorkerId.Value).Should().Equal("d");
        (await SendAsync(new GetEvents(0))).Value.Items.Select(e => e.WorkerId.Value).Should().Equal("d");
    }

    [Test]
    public async Task A_feed_behind_what_retention_deleted_ends_instead_of_skipping_silently()
    {
        await RegisterAsync("a");
        await RegisterAsync("b");
        var first = (await SendAsync(new GetEvents(Limit: 1))).Value.NextAfter;
        Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        await RegisterAsync("c");
        (await SendAsync(new DeleteExpiredEvents())).Value.Should().Be(2);
        await using var scope = App.CreateScope();
        using var stop = new CancellationTokenSource();
        await using var feed = scope.ServiceProvider.GetRequiredService<EventFeed>().FollowAsync(first, 100, stop.Token).GetAsyncEnumerator(stop.Token);

        (await feed.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Should().BeFalse();
    }

    [Test]
    public async Task The_feed_reads_full_pages_back_to_back_and_waits_only_once_caught_up()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");
        await RegisterAsync("worker-3");
        await using var scope = App.CreateScope();
        using var stop = new CancellationTokenSource();
        await using var feed = scope.ServiceProvider.GetRequiredService<EventFeed>().FollowAsync(0, 2, stop.Token).GetAsyncEnumerator(stop.Token);

        (await NextPageAsync(feed)).Select(e => e.WorkerId.Value).Should().Equal("worker-1", "worker-2");
        (await NextPageAsync(feed)).Select(e => e.WorkerId.Value).Should().Equal(["worker-3"], "a full page is followed at once, without a poll");
        var caughtUp = feed.MoveNextAsync().AsTask();
        caughtUp.IsCompleted.Should().BeFalse("a page shorter than asked for means the feed has caught up, and waits");
        await stop.CancelAsync();
        await FluentActions.Awaiting(() => caughtUp).Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    public async Task A_feed_over_an_empty_journal_answers_an_empty_page_then_the_first_event()
    {
        await using var scope = App.CreateScope();
        using var stop = new CancellationTokenSource();
        await using var feed = scope.ServiceProvider.GetRequiredService<EventFeed>().FollowAsync(0, 10, stop.Token).GetAsyncEnumerator(stop.Token);

        (await NextPageAsync(feed)).Should().BeEmpty();
        var next = feed.MoveNextAsync().AsTask();
        await RegisterAsync("first");
        (await NextPageAsync(feed, next)).Select(e => e.WorkerId.Value).Should().Equal("first");
    }

    [Test]
    public async Task The_feed_delivers_what_this_instance_commits_at_once_and_what_another_commits_at_the_next_poll()
    {
        await RegisterAsync("before");
        await using var other = TestApplication.BesideOf(App, []);
        await using var scope = App.CreateScope();
        var poll = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EventsOptions>>().Value.PollInterval;
        using var stop = new CancellationTokenSource();
        await using var feed = scope.ServiceProvider.GetRequiredService<EventFeed>().FollowAsync(0, 100, stop.Token).GetAsyncEnumerator(stop.Token);

        (await NextPageAsync(feed)).Select(e => e.WorkerId.Value).Should().Equal("before");

        var local = feed.MoveNextAsync().AsTask();
        await RegisterAsync("local");
        (await NextPageAsync(feed, local)).Select(e => e.WorkerId.Value).Should().Equal(["local"], "this instance's commit wakes the feed without a poll");

        var remote = feed.MoveNextAsync().AsTask();
        (await other.SendAsync(new RegisterWorker("remote", "us-east-1", 1))).IsSuccess.Should().BeTrue();
        remote.IsCompleted.Should().BeFalse("another instance's commit is found by polling");
        Clock.Advance(poll);
        (await NextPageAsync(feed, remote)).Select(e => e.WorkerId.Value).Should().Equal("remote");
        await stop.CancelAsync();
    }

    private static async Task<IReadOnlyList<WorkerEvent>> NextPageAsync(
        IAsyncEnumerator<IReadOnlyList<WorkerEvent>> feed, Task<bool>? pending = null)
    {
        // A guard against a hang, not a wait: the page is due already.
        (await (pending ?? feed.MoveNextAsync().AsTask()).WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        return feed.Current;
    }
}
