using Microsoft.EntityFrameworkCore;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

public class HeartbeatStoreTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task A_heartbeat_records_the_time_and_leaves_the_status_alone()
    {
        await RegisterAsync("worker-1");

        var status = await HeartbeatAsync("worker-1", Now);

        status.Should().Be(WorkerStatus.Pending);
        var worker = await FindAsync("worker-1");
        worker.Status.Should().Be(WorkerStatus.Pending);
        worker.LastHeartbeatAt.Should().Be(Now);
        worker.HeartbeatsRecorded.Should().Be(1);
        worker.Version.Should().Be(0);
    }

    [Test]
    public async Task A_heartbeat_for_an_unknown_worker_records_nothing()
    {
        (await HeartbeatAsync("ghost", Now)).Should().BeNull();

        (await Database(db => db.Heartbeats.CountAsync())).Should().Be(0);
    }

    [Test]
    public async Task A_late_arriving_older_heartbeat_never_moves_the_last_heartbeat_back()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1", Now);

        await HeartbeatAsync("worker-1", Now.AddSeconds(-30));

        (await FindAsync("worker-1")).LastHeartbeatAt.Should().Be(Now);
    }

    [Test]
    public async Task History_keeps_only_the_newest_heartbeats_newest_first()
    {
        await RegisterAsync("worker-1");
        for (var i = 0; i < 25; i++)
        {
            await HeartbeatAsync("worker-1", Now.AddSeconds(i), historySize: 10);
        }

        var history = await Heartbeats(h => h.GetHistoryAsync(WorkerId.From("worker-1"), 100, 10, CancellationToken.None));
        var limited = await Heartbeats(h => h.GetHistoryAsync(WorkerId.From("worker-1"), 3, 10, CancellationToken.None));

        history.Should().Equal(Enumerable.Range(15, 10).Reverse().Select(i => Now.AddSeconds(i)));
        limited.Should().Equal(Now.AddSeconds(24), Now.AddSeconds(23), Now.AddSeconds(22));
        (await Database(db => db.Heartbeats.CountAsync(h => h.WorkerId == "worker-1"))).Should().Be(10);
    }

    [Test]
    public async Task Shrinking_the_history_size_keeps_serving_only_the_newest()
    {
        await RegisterAsync("worker-1");
        for (var i = 0; i < 15; i++)
        {
            await HeartbeatAsync("worker-1", Now.AddSeconds(i), historySize: 10);
        }

        for (var i = 15; i < 18; i++)
        {
            await HeartbeatAsync("worker-1", Now.AddSeconds(i), historySize: 5);
        }

        var history = await Heartbeats(h => h.GetHistoryAsync(WorkerId.From("worker-1"), 100, 5, CancellationToken.None));

        history.Should().Equal(Enumerable.Range(13, 5).Reverse().Select(i => Now.AddSeconds(i)));
    }

    [Test]
    public async Task A_smaller_history_size_serves_exactly_its_newest_even_beside_the_older_slots_a_larger_one_left()
    {
        await RegisterAsync("worker-1");
        for (var i = 1; i <= 10; i++)
        {
            await HeartbeatAsync("worker-1", Now.AddSeconds(i), historySize: 10);
        }

        // Heartbeats 11 and 12 take the first two of five slots; heartbeats 3 to 10 stay in the slots past them.
        await HeartbeatAsync("worker-1", Now.AddSeconds(11), historySize: 5);
        await HeartbeatAsync("worker-1", Now.AddSeconds(12), historySize: 5);

        var history = await Heartbeats(h => h.GetHistoryAsync(WorkerId.From("worker-1"), 100, 5, CancellationToken.None));

        history.Should().Equal(Enumerable.Range(8, 5).Reverse().Select(i => Now.AddSeconds(i)));
    }

    [Test]
    public async Task History_of_an_unknown_worker_is_absent_not_empty() =>
        (await Heartbeats(h => h.GetHistoryAsync(WorkerId.From("ghost"), 10, 10, CancellationToken.None))).Should().BeNull();

    [Test]
    public async Task Parallel_heartbeats_during_sweeps_lose_nothing()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1", Now);
        const int Heartbeats = 40;

        var beats = Enumerable.Range(1, Heartbeats).Select(i => HeartbeatAsync("worker-1", Now.AddMilliseconds(i), historySize: 100));
        var sweeps = Enumerable.Range(0, 4).Select(_ => SweepAsync(LifecycleSweep.Activation, Now.AddMinutes(-2)));
        await Task.WhenAll(beats.Cast<Task>().Concat(sweeps));

        var worker = await FindAsync("worker-1");
        worker.HeartbeatsRecorded.Should().Be(Heartbeats + 1);
        worker.LastHeartbeatAt.Should().Be(Now.AddMilliseconds(Heartbeats));
        worker.Status.Should().Be(WorkerStatus.Active);
        worker.Version.Should().Be(1);
        var history = await this.Heartbeats(h => h.GetHistoryAsync(WorkerId.From("worker-1"), 1000, 100, CancellationToken.None));
        history.Should().HaveCount(Heartbeats + 1).And.OnlyHaveUniqueItems();
    }
}
