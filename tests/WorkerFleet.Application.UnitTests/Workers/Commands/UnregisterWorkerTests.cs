using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class UnregisterWorkerTests : ApplicationTest
{
    [TestCase(WorkerStatus.Pending)]
    [TestCase(WorkerStatus.Active)]
    [TestCase(WorkerStatus.Offline)]
    [TestCase(WorkerStatus.Failed)]
    public async Task A_worker_is_unregistered_whatever_its_status(WorkerStatus status)
    {
        await RegisterInAsync("worker-1", status);

        var result = await SendAsync(new UnregisterWorker("worker-1"));

        result.Value.Should().Be(WorkerId.From("worker-1"));
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().Be(new WorkerNotFound(WorkerId.From("worker-1")));
    }

    [Test]
    public async Task Unregistering_deletes_the_heartbeat_history_with_the_worker()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1");
        await HeartbeatAsync("worker-1");

        await SendAsync(new UnregisterWorker("worker-1"));
        await RegisterAsync("worker-1");

        (await SendAsync(new GetHeartbeatHistory("worker-1"))).Value.Heartbeats.Should().BeEmpty();
        (await SendAsync(new GetLastHeartbeat("worker-1"))).Value.At.Should().BeNull();
    }

    [Test]
    public async Task Unregistering_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new UnregisterWorker("ghost"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [Test]
    public async Task Unregistering_twice_answers_WorkerNotFound_the_second_time()
    {
        await RegisterAsync("worker-1");
        await SendAsync(new UnregisterWorker("worker-1"));

        var second = await SendAsync(new UnregisterWorker("worker-1"));

        second.Error.Should().BeOfType<WorkerNotFound>();
    }

    [Test]
    public async Task A_worker_unregisters_itself_with_its_own_token()
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new UnregisterWorker("worker-1", TokenOf("worker-1")));

        result.Value.Should().Be(WorkerId.From("worker-1"));
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().Be(new WorkerNotFound(WorkerId.From("worker-1")));
    }

    [Test]
    public async Task Unregistering_with_another_workers_token_answers_InvalidWorkerToken_and_removes_no_worker()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");
        await HeartbeatAsync("worker-1");
        var before = await SnapshotFleetAsync();

        var result = await SendAsync(new UnregisterWorker("worker-1", TokenOf("worker-2")));

        result.Error.Should().Be(new InvalidWorkerToken());
        (await SnapshotFleetAsync()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task Unregistering_with_a_rotated_out_token_answers_InvalidWorkerToken_and_keeps_the_worker()
    {
        await RegisterAsync("worker-1");
        var old = TokenOf("worker-1");
        await RotateTokenAsync("worker-1");

        var result = await SendAsync(new UnregisterWorker("worker-1", old));

        result.Error.Should().Be(new InvalidWorkerToken());
        (await GetAsync("worker-1")).TokenHash.Should().Be(WorkerToken.HashOf(TokenOf("worker-1")));
    }

    [Test]
    public async Task Unregistering_an_unknown_worker_with_a_token_answers_WorkerNotFound()
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new UnregisterWorker("ghost", TokenOf("worker-1")));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
        (await GetAsync("worker-1")).Id.Should().Be(WorkerId.From("worker-1"));
    }

    [Test]
    public async Task An_operator_unregisters_a_worker_without_its_token_even_after_it_was_rotated()
    {
        await RegisterAsync("worker-1");
        await RotateTokenAsync("worker-1");

        var result = await SendAsync(new UnregisterWorker("worker-1", Token: null));

        result.Value.Should().Be(WorkerId.From("worker-1"));
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().BeOfType<WorkerNotFound>();
    }
}
