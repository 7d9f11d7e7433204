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

        receipt.Should().Be(new HeartbeatReceipt(WorkerId.From("worker-1"), TestApplication.StartTime.AddSeconds(42), WorkerStatus.Pending, NextHeartbeatIn: TimeSpan.FromSeconds(40)));
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
        var result = await SendAsync(new RecordHeartbeat("ghost", UnissuedToken));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [Test]
    public async Task A_heartbeat_for_an_unknown_id_answers_WorkerNotFound_even_with_another_workers_token()
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new RecordHeartbeat("ghost", TokenOf("worker-1")));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [Test]
    public async Task A_heartbeat_with_another_workers_token_records_nothing_and_answers_InvalidWorkerToken()
    {
        await RegisterFleetWithHeartbeatsAsync();

        var error = await HeartbeatRecordingNothingAsync(TokenOf("worker-2"));

        error.Should().Be(new InvalidWorkerToken());
    }

    [Test]
    public async Task A_heartbeat_with_a_token_never_issued_records_nothing_and_answers_InvalidWorkerToken()
    {
        await RegisterFleetWithHeartbeatsAsync();

        var error = await HeartbeatRecordingNothingAsync(UnissuedToken);

        error.Should().Be(new InvalidWorkerToken());
    }

    [TestCase("")]
    [TestCase("not-a-token")]
    [TestCase("wft_")]
    [TestCase("WFT_prefix-in-capitals")]
    [TestCase(" wft_leading-space")]
    public async Task A_heartbeat_with_a_malformed_token_records_nothing_and_answers_InvalidConfiguration_on_the_token(string token)
    {
        await RegisterFleetWithHeartbeatsAsync();

        var error = await HeartbeatRecordingNothingAsync(token);

        var errors = error.Should().BeOfType<InvalidConfiguration>().Subject.Errors;
        errors.Keys.Should().Equal("token");
        errors["token"].Should().Equal("token is not a worker token.");
    }

    /// <summary>Registers worker-1 and worker-2, each with one heartbeat, so a wrongly recorded heartbeat shows.</summary>
    private async Task RegisterFleetWithHeartbeatsAsync()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");
        await HeartbeatAsync("worker-1");
        await HeartbeatAsync("worker-2");
    }

    /// <summary>Sends a later heartbeat for worker-1 with <paramref name="token"/>, checks that no worker's last heartbeat,
    /// count or history changed, and answers the error.</summary>
    private async Task<WorkerError?> HeartbeatRecordingNothingAsync(string token)
    {
        var before = await SnapshotFleetAsync();
        Clock.Advance(TimeSpan.FromSeconds(5));

        var result = await SendAsync(new RecordHeartbeat("worker-1", token));

        (await SnapshotFleetAsync()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        return result.Error;
    }
}
