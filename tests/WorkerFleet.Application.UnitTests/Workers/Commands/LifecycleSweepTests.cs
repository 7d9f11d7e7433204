using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

/// <summary>Activation, stale detection and reactivation, with a 30-second timeout instead of the 2-minute default.</summary>
public class LifecycleSweepTests : ApplicationTest
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Microsecond = TimeSpan.FromMicroseconds(1);

    protected override IReadOnlyDictionary<string, string?> LifecycleSettings { get; } =
        new Dictionary<string, string?> { ["HeartbeatTimeout"] = "00:00:30" };

    [Test]
    public async Task Activation_moves_pending_workers_with_a_recent_heartbeat_and_returns_their_ids_in_id_order()
    {
        foreach (var id in new[] { "worker-c", "worker-b", "worker-a" })
        {
            await RegisterAsync(id);
        }

        await HeartbeatAsync("worker-c");
        await HeartbeatAsync("worker-a");

        var activated = await SendAsync(new ActivatePendingWorkers());

        activated.Value.Should().Equal(WorkerId.From("worker-a"), WorkerId.From("worker-c"));
        (await GetAsync("worker-a")).Status.Should().Be(WorkerStatus.Active);
        (await GetAsync("worker-b")).Status.Should().Be(WorkerStatus.Pending);
        (await GetAsync("worker-c")).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task Stale_detection_with_no_stale_worker_writes_nothing()
    {
        await RegisterInAsync("beating", WorkerStatus.Active);
        await PassStartUpGraceAsync();
        await HeartbeatAsync("beating");
        var before = await GetAsync("beating");

        var moved = await SendAsync(new MarkStaleWorkersOffline());

        moved.Value.Should().BeEmpty();
        var after = await GetAsync("beating");
        after.Status.Should().Be(WorkerStatus.Active);
        after.Version.Should().Be(before.Version);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task Activation_needs_a_recent_heartbeat_not_just_any()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1");
        Clock.Advance(Timeout + Microsecond);

        var activated = await SendAsync(new ActivatePendingWorkers());

        activated.Value.Should().BeEmpty();
        (await GetAsync("worker-1")).Status.Should().Be(WorkerStatus.Pending);
    }

    [Test]
    public async Task A_heartbeat_exactly_one_timeout_old_is_still_recent_for_activation()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1");
        Clock.Advance(Timeout);

        var activated = await SendAsync(new ActivatePendingWorkers());

        activated.Value.Should().Equal(WorkerId.From("worker-1"));
    }

    [Test]
    public async Task Activation_moves_a_worker_once_and_touches_no_other_status()
    {
        await RegisterInAsync("offline", WorkerStatus.Offline);
        await RegisterInAsync("failed", WorkerStatus.Failed);
        await RegisterAsync("pending");
        foreach (var id in new[] { "offline", "failed", "pending" })
        {
            await HeartbeatAsync(id);
        }

        (await SendAsync(new ActivatePendingWorkers())).Value.Should().Equal(WorkerId.From("pending"));
        (await SendAsync(new ActivatePendingWorkers())).Value.Should().BeEmpty();

        (await GetAsync("offline")).Status.Should().Be(WorkerStatus.Offline);
        (await GetAsync("failed")).Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task Stale_detection_marks_active_workers_silent_past_the_timeout_offline_and_returns_their_ids()
    {
        await RegisterInAsync("silent", WorkerStatus.Active);
        await RegisterInAsync("alive", WorkerStatus.Active);
        Clock.Advance(Timeout + Microsecond);
        await HeartbeatAsync("alive");

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().Equal(WorkerId.From("silent"));
        (await GetAsync("silent")).Status.Should().Be(WorkerStatus.Offline);
        (await GetAsync("alive")).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task Stale_detection_leaves_a_worker_whose_heartbeat_is_exactly_one_timeout_old_active()
    {
        await PassStartUpGraceAsync();
        await RegisterInAsync("worker-1", WorkerStatus.Active);
        Clock.Advance(Timeout);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await GetAsync("worker-1")).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task Stale_detection_uses_the_configured_timeout_not_the_default()
    {
        await RegisterInAsync("worker-1", WorkerStatus.Active);
        Clock.Advance(TimeSpan.FromSeconds(31));

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        App.Options.HeartbeatTimeout.Should().Be(Timeout);
        markedOffline.Value.Should().Equal(WorkerId.From("worker-1"));
    }

    [Test]
    public async Task Stale_detection_touches_only_active_workers()
    {
        await RegisterAsync("pending");
        await RegisterInAsync("failed", WorkerStatus.Failed);
        Clock.Advance(Timeout * 10);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await GetAsync("pending")).Status.Should().Be(WorkerStatus.Pending);
        (await GetAsync("failed")).Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task Reactivation_brings_offline_workers_with_a_recent_heartbeat_back_and_returns_their_ids()
    {
        await RegisterInAsync("back", WorkerStatus.Offline);
        await RegisterInAsync("gone", WorkerStatus.Offline);
        await HeartbeatAsync("back");

        var reactivated = await SendAsync(new ReactivateOfflineWorkers());

        reactivated.Value.Should().Equal(WorkerId.From("back"));
        (await GetAsync("back")).Status.Should().Be(WorkerStatus.Active);
        (await GetAsync("gone")).Status.Should().Be(WorkerStatus.Offline);
    }

    [Test]
    public async Task Reactivation_counts_a_heartbeat_exactly_one_timeout_old_as_recent_but_not_one_microsecond_older()
    {
        await RegisterInAsync("exact", WorkerStatus.Offline);
        await RegisterInAsync("older", WorkerStatus.Offline);
        await HeartbeatAsync("older");
        Clock.Advance(Microsecond);
        await HeartbeatAsync("exact");
        Clock.Advance(Timeout);

        var reactivated = await SendAsync(new ReactivateOfflineWorkers());

        reactivated.Value.Should().Equal(WorkerId.From("exact"));
        (await GetAsync("older")).Status.Should().Be(WorkerStatus.Offline);
    }

    [Test]
    public async Task Reactivation_touches_only_offline_workers()
    {
        await RegisterAsync("pending");
        await RegisterInAsync("failed", WorkerStatus.Failed);
        await HeartbeatAsync("pending");
        await HeartbeatAsync("failed");

        var reactivated = await SendAsync(new ReactivateOfflineWorkers());

        reactivated.Value.Should().BeEmpty();
        (await GetAsync("pending")).Status.Should().Be(WorkerStatus.Pending);
        (await GetAsync("failed")).Status.Should().Be(WorkerStatus.Failed);
    }
}
