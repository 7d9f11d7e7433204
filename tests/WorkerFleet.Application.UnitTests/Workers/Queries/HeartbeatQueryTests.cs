using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Queries;

/// <summary>The last heartbeat and the heartbeat history, with each worker keeping only its newest 3 heartbeats.</summary>
public class HeartbeatQueryTests : ApplicationTest
{
    protected override IReadOnlyDictionary<string, string?> LifecycleSettings { get; } =
        new Dictionary<string, string?> { ["HeartbeatHistorySize"] = "3" };

    [Test]
    public async Task A_worker_that_never_sent_a_heartbeat_has_no_last_heartbeat_and_an_empty_history()
    {
        await RegisterAsync("worker-1");

        (await SendAsync(new GetLastHeartbeat("worker-1"))).Value.Should().Be(new LastHeartbeat(WorkerId.From("worker-1"), null));
        (await SendAsync(new GetHeartbeatHistory("worker-1"))).Value.Heartbeats.Should().BeEmpty();
    }

    [Test]
    public async Task The_last_heartbeat_is_the_newest_one()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1");
        Clock.Advance(TimeSpan.FromSeconds(10));
        await HeartbeatAsync("worker-1");

        var result = await SendAsync(new GetLastHeartbeat("worker-1"));

        result.Value.Should().Be(new LastHeartbeat(WorkerId.From("worker-1"), TestApplication.StartTime.AddSeconds(10)));
    }

    [Test]
    public async Task The_history_lists_the_heartbeats_newest_first()
    {
        await RegisterAsync("worker-1");
        var sent = await SendHeartbeatsAsync("worker-1", 3);

        var result = await SendAsync(new GetHeartbeatHistory("worker-1"));

        result.Value.WorkerId.Should().Be(WorkerId.From("worker-1"));
        result.Value.Heartbeats.Should().Equal(sent.Reverse());
    }

    [Test]
    public async Task The_history_keeps_only_the_newest_heartbeats_up_to_the_history_size()
    {
        await RegisterAsync("worker-1");
        var sent = await SendHeartbeatsAsync("worker-1", 5);

        var result = await SendAsync(new GetHeartbeatHistory("worker-1", Limit: 1000));

        result.Value.Heartbeats.Should().Equal(sent[4], sent[3], sent[2]);
    }

    [Test]
    public async Task The_limit_returns_that_many_of_the_newest_heartbeats()
    {
        await RegisterAsync("worker-1");
        var sent = await SendHeartbeatsAsync("worker-1", 3);

        var result = await SendAsync(new GetHeartbeatHistory("worker-1", Limit: 2));

        result.Value.Heartbeats.Should().Equal(sent[2], sent[1]);
    }

    [Test]
    public async Task Each_worker_has_its_own_history()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");
        var sent = await SendHeartbeatsAsync("worker-1", 2);

        (await SendAsync(new GetHeartbeatHistory("worker-1"))).Value.Heartbeats.Should().Equal(sent[1], sent[0]);
        (await SendAsync(new GetHeartbeatHistory("worker-2"))).Value.Heartbeats.Should().BeEmpty();
    }

    [Test]
    public async Task Heartbeat_queries_about_an_unknown_worker_answer_WorkerNotFound()
    {
        var notFound = new WorkerNotFound(WorkerId.From("ghost"));

        (await SendAsync(new GetLastHeartbeat("ghost"))).Error.Should().Be(notFound);
        (await SendAsync(new GetHeartbeatHistory("ghost"))).Error.Should().Be(notFound);
    }
}
