using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class RecordHeartbeatTests : ApplicationTest
{
    [TestCase(WorkerStatus.Pending)]
    [TestCase(WorkerStatus.Active)]
    [TestCase(WorkerStatus.Offline)]
    [TestCase(WorkerStatus.Failed)]
    public async Task A_heartbeat_never_changes_the_status(WorkerStatus status)
    {
        var before = await RegisterInAsync("worker-1", status);

        var receipt = await HeartbeatAsync("worker-1");

        receipt.Status.Should().Be(status);
        var after = await GetAsync("worker-1");
        after.Status.Should().Be(status);
        after.Version.Should().Be(before.Version);
    }

    [Test]
    public async Task A_heartbeat_is_stamped_with_the_server_clock_and_becomes_the_last_heartbeat()
    {
        await RegisterAsync("worker-1");
        Clock.Advance(TimeSpan.FromSeconds(42));

        var receipt = await HeartbeatAsync("worker-1");

        receipt.Should().Be(new HeartbeatReceipt(WorkerId.From("worker-1"), TestApplication.StartTime.AddSeconds(42), WorkerStatus.Pending));
        (await SendAsync(new GetLastHeartbeat("worker-1"))).Value.At.Should().Be(receipt.ReceivedAt);
        (await SendAsync(new GetHeartbeatHistory("worker-1"))).Value.Heartbeats.Should().Equal(receipt.ReceivedAt);
    }

    [Test]
    public async Task A_heartbeat_is_stamped_at_the_microsecond_precision_storage_keeps()
    {
        await RegisterAsync("worker-1");
        Clock.SetUtcNow(TestApplication.StartTime.AddTicks(1_234_567));

        var receipt = await HeartbeatAsync("worker-1");

        receipt.ReceivedAt.Should().Be(TestApplication.StartTime.AddTicks(1_234_560));
        receipt.ReceivedAt.Offset.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public async Task A_heartbeat_from_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new RecordHeartbeat("ghost"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }
}
