using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Queries;

/// <summary>Workers with their heartbeat summary, with each worker keeping only its newest 3 heartbeats.</summary>
public class WorkerMetadataTests : ApplicationTest
{
    protected override IReadOnlyDictionary<string, string?> LifecycleSettings { get; } =
        new Dictionary<string, string?> { ["HeartbeatHistorySize"] = "3" };

    [Test]
    public async Task A_worker_without_heartbeats_has_no_last_heartbeat_and_a_count_of_zero()
    {
        var worker = await RegisterAsync("worker-1");

        var metadata = (await SendAsync(new GetWorkerMetadata("worker-1"))).Value;

        metadata.Worker.Should().BeEquivalentTo(worker);
        metadata.LastHeartbeatAt.Should().BeNull();
        metadata.HeartbeatCount.Should().Be(0);
    }

    [Test]
    public async Task The_metadata_holds_the_last_heartbeat_and_how_many_heartbeats_are_retained()
    {
        await RegisterAsync("worker-1");
        var sent = await SendHeartbeatsAsync("worker-1", 2);

        var metadata = (await SendAsync(new GetWorkerMetadata("worker-1"))).Value;

        metadata.LastHeartbeatAt.Should().Be(sent[1]);
        metadata.HeartbeatCount.Should().Be(2);
    }

    [Test]
    public async Task The_heartbeat_count_is_the_retained_count_never_more_than_the_history_size()
    {
        await RegisterAsync("worker-1");
        var sent = await SendHeartbeatsAsync("worker-1", 5);

        var metadata = (await SendAsync(new GetWorkerMetadata("worker-1"))).Value;
        var history = (await SendAsync(new GetHeartbeatHistory("worker-1"))).Value;

        metadata.HeartbeatCount.Should().Be(3).And.Be(history.Heartbeats.Count);
        metadata.LastHeartbeatAt.Should().Be(sent[4]);
    }

    [Test]
    public async Task The_metadata_of_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new GetWorkerMetadata("ghost"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [Test]
    public async Task The_metadata_list_summarises_every_worker_in_id_order()
    {
        await RegisterAsync("worker-b");
        await RegisterAsync("worker-a");
        await SendHeartbeatsAsync("worker-a", 4);
        await SendHeartbeatsAsync("worker-b", 1);

        var page = (await SendAsync(new GetWorkersWithMetadata())).Value;

        page.Items.Select(m => (m.Worker.Id.Value, m.HeartbeatCount, m.LastHeartbeatAt)).Should().Equal(
            ("worker-a", 3, TestApplication.StartTime.AddSeconds(4)),
            ("worker-b", 1, TestApplication.StartTime.AddSeconds(5)));
        page.NextCursor.Should().BeNull();
    }

    [TestCase("active")]
    [TestCase("ACTIVE")]
    public async Task The_metadata_list_can_be_narrowed_to_a_status_in_any_case(string status)
    {
        await RegisterInAsync("active-1", WorkerStatus.Active);
        await RegisterAsync("pending-1");

        var page = (await SendAsync(new GetWorkersWithMetadata(status))).Value;

        page.Items.Select(m => m.Worker.Id.Value).Should().Equal("active-1");
    }

    [Test]
    public async Task The_metadata_list_is_paged_by_cursor()
    {
        foreach (var id in new[] { "w3", "w1", "w2" })
        {
            await RegisterAsync(id);
        }

        var pages = await ReadPagesAsync(cursor => new GetWorkersWithMetadata(Limit: 2, Cursor: cursor), m => m.Worker.Id);

        pages.Should().BeEquivalentTo(new[] { new[] { "w1", "w2" }, ["w3"] }, o => o.WithStrictOrdering());
    }
}
