using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

public class WorkerRepositoryTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task A_saved_worker_reads_back_with_every_field()
    {
        var registeredAt = Now.AddTicks(1234560);
        await Workers(w => w.TryAddAsync(NewWorker("worker-1", registeredAt), "test", CancellationToken.None));

        var read = await FindAsync("worker-1");

        read.Id.Value.Should().Be("worker-1");
        read.Configuration.Region.Should().Be("us-east-1");
        read.Configuration.Capacity.Should().Be(10);
        read.Configuration.Capabilities.Should().Equal("compute", "storage");
        read.Configuration.Metadata.Should().Equal(new Dictionary<string, string> { ["datacenter"] = "dc-1" });
        read.Status.Should().Be(WorkerStatus.Pending);
        read.RegisteredAt.Should().Be(registeredAt);
        read.RegisteredAt.Offset.Should().Be(TimeSpan.Zero);
        read.LastHeartbeatAt.Should().BeNull();
        read.Version.Should().Be(0);
    }

    [Test]
    public async Task Adding_an_existing_id_is_refused_and_keeps_the_first()
    {
        await RegisterAsync("worker-1");

        var added = await Workers(w => w.TryAddAsync(NewWorker("worker-1", Now.AddDays(1)), "test", CancellationToken.None));

        added.Should().BeFalse();
        (await FindAsync("worker-1")).RegisteredAt.Should().Be(Now);
    }

    [Test]
    public async Task Concurrent_registrations_of_one_id_admit_exactly_one()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Workers(w => w.TryAddAsync(NewWorker("worker-1"), "test", CancellationToken.None))));

        attempts.Count(added => added).Should().Be(1);
    }

    [Test]
    public async Task Removing_a_worker_deletes_its_heartbeat_history_too()
    {
        await RegisterAsync("worker-1", "worker-2");
        await HeartbeatAsync("worker-1", Now);
        await HeartbeatAsync("worker-2", Now);

        (await Workers(w => w.RemoveAsync(WorkerId.From("worker-1"), null, TestChange.Now, CancellationToken.None))).Should().BeTrue();

        (await Workers(w => w.FindAsync(WorkerId.From("worker-1"), CancellationToken.None))).Should().BeNull();
        (await Database(db => db.Heartbeats.Select(h => h.WorkerId).ToListAsync())).Should().Equal("worker-2");
        (await Workers(w => w.RemoveAsync(WorkerId.From("worker-1"), null, TestChange.Now, CancellationToken.None))).Should().BeFalse();
    }

    [Test]
    public async Task Saving_a_status_is_a_compare_and_set_on_the_version()
    {
        await RegisterAsync("worker-1");
        var first = await FindAsync("worker-1");
        var second = await FindAsync("worker-1");
        first.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator);
        second.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator);

        (await Workers(w => w.TrySaveStatusAsync(first, expectedVersion: 0, WorkerStatus.Pending, TestChange.Now, CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TrySaveStatusAsync(second, expectedVersion: 0, WorkerStatus.Pending, TestChange.Now, CancellationToken.None))).Should().BeFalse();

        var stored = await FindAsync("worker-1");
        stored.Status.Should().Be(WorkerStatus.Failed);
        stored.Version.Should().Be(1);
    }

    [Test]
    public async Task Listing_orders_ids_ordinally_and_pages_after_a_given_id()
    {
        await RegisterAsync("b", "a_1", "B", "a-1", "a.1", "A", "a");
        await SetStatusAsync("a", WorkerStatus.Failed);

        var all = await Workers(w => w.ListAsync(WorkerSelection.All, null, 100, CancellationToken.None));
        var after = await Workers(w => w.ListAsync(WorkerSelection.All, WorkerId.From("a-1"), 2, CancellationToken.None));
        var failed = await Workers(w => w.ListAsync(new WorkerSelection(Status: WorkerStatus.Failed), null, 100, CancellationToken.None));

        all.Select(w => w.Id.Value).Should().Equal("A", "B", "a", "a-1", "a.1", "a_1", "b");
        after.Select(w => w.Id.Value).Should().Equal("a.1", "a_1");
        failed.Select(w => w.Id.Value).Should().Equal("a");
    }

    [Test]
    public async Task Listing_by_id_prefix_is_case_sensitive_and_combines_with_the_status_and_the_cursor()
    {
        await RegisterAsync("web-3", "web-10", "Web-4", "web-1", "webx", "web", "db-1", "web-2", "web-5");
        await SetStatusAsync("web-2", WorkerStatus.Failed);
        await SetStatusAsync("web-5", WorkerStatus.Active);

        (await ListIdsAsync(null, "web-", null, 100)).Should().Equal("web-1", "web-10", "web-2", "web-3", "web-5");
        (await ListIdsAsync(null, "web-1", null, 100)).Should().Equal("web-1", "web-10");
        (await ListIdsAsync(null, "web", null, 100)).Should().Equal("web", "web-1", "web-10", "web-2", "web-3", "web-5", "webx");
        (await ListIdsAsync(null, "W", null, 100)).Should().Equal("Web-4");
        (await ListIdsAsync(WorkerStatus.Pending, "web-", null, 2)).Should().Equal("web-1", "web-10");
        (await ListIdsAsync(WorkerStatus.Pending, "web-", "web-10", 2)).Should().Equal("web-3");
        (await ListIdsAsync(null, "web-", "web-3", 100)).Should().Equal("web-5");
        (await ListIdsAsync(null, "web-", "webx", 100)).Should().BeEmpty();
        (await ListIdsAsync(null, "web-", "a", 100)).Should().HaveCount(5);
    }

    [Test]
    public async Task Underscore_and_percent_in_an_id_prefix_match_only_themselves()
    {
        await RegisterAsync("a_1", "ab", "aB", "a-1", "a.1", "a1", "b_1");

        (await ListIdsAsync(null, "a_", null, 100)).Should().Equal("a_1");
        (await ListIdsAsync(null, "a%", null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, "%", null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, "_", null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, "a.", null, 100)).Should().Equal("a.1");
    }

    [Test]
    public async Task An_id_prefix_no_id_can_start_with_lists_nothing()
    {
        await RegisterAsync("worker-1", new string('w', WorkerId.MaxLength));

        (await ListIdsAsync(null, "wörker", null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, "worker 1", null, 100)).Should().BeEmpty();
        // Characters PostgreSQL cannot take as text at all: the repository answers without asking the database.
        (await ListIdsAsync(null, "worker\u0000", null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, "worker\ud800", null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, new string('w', WorkerId.MaxLength + 1), null, 100)).Should().BeEmpty();
        (await ListIdsAsync(null, new string('w', WorkerId.MaxLength), null, 100)).Should().ContainSingle();
    }

    [Test]
    public async Task Counting_counts_the_workers_in_each_status()
    {
        await RegisterAsync("gone", "up-1", "up-2", "new-1", "new-2", "new-3", "broken");
        await SetStatusAsync("gone", WorkerStatus.Active);
        (await SweepAsync(LifecycleSweep.StaleDetection, Now)).Select(id => id.Value).Should().Equal("gone");
        await SetStatusAsync("up-1", WorkerStatus.Active);
        await SetStatusAsync("up-2", WorkerStatus.Active);
        await SetStatusAsync("broken", WorkerStatus.Failed);

        (await Workers(w => w.CountByStatusAsync(CancellationToken.None))).Should().Equal(new Dictionary<WorkerStatus, int>
        {
            [WorkerStatus.Pending] = 3,
            [WorkerStatus.Active] = 2,
            [WorkerStatus.Offline] = 1,
            [WorkerStatus.Failed] = 1,
        });
    }

    [Test]
    public async Task Counting_by_status_leaves_out_statuses_nobody_is_in()
    {
        await RegisterAsync("only-1", "only-2");

        (await Workers(w => w.CountByStatusAsync(CancellationToken.None))).Should().Equal(
            new Dictionary<WorkerStatus, int> { [WorkerStatus.Pending] = 2 });
    }

    [Test]
    public async Task The_model_matches_the_migrations_of_its_provider() =>
        (await Database(db => Task.FromResult(db.Database.HasPendingModelChanges()))).Should().BeFalse();

    [Test]
    public async Task The_schema_uses_the_providers_native_types()
    {
        var types = await Database(db => db.Database
            .SqlQueryRaw<string>(Provider == StorageProvider.Postgres
                ? "SELECT column_name || ':' || data_type AS \"Value\" FROM information_schema.columns WHERE table_name = 'workers'"
                : "SELECT name || ':' || type AS \"Value\" FROM pragma_table_info('workers')")
            .ToListAsync());

        if (Provider == StorageProvider.Postgres)
        {
            types.Should().Contain(["capabilities:ARRAY", "metadata:jsonb", "last_heartbeat_at:timestamp with time zone"]);
        }
        else
        {
            types.Should().Contain(["capabilities:TEXT", "metadata:TEXT", "registered_at:INTEGER", "last_heartbeat_at:INTEGER"]);
        }
    }

    [Test]
    public async Task A_selection_matches_region_every_capability_and_a_minimum_capacity_together()
    {
        await AddAsync("gpu-1", "eu-west-1", 8, "gpu", "ssd");
        await AddAsync("gpu-2", "eu-west-1", 16, "ssd", "gpu", "fpga");
        await AddAsync("gpu-3", "eu-west-1", 4, "gpu", "ssd");
        await AddAsync("gpu-4", "us-east-1", 32, "gpu", "ssd");
        await AddAsync("gpu-5", "eu-west-1", 64, "gpu");
        await AddAsync("cpu-1", "EU-WEST-1", 64, "GPU", "ssd");
        await AddAsync("gpu-6", "eu-west-1", 12, "gpu", "ssd");
        await SetStatusAsync("gpu-6", WorkerStatus.Active);

        async Task<IEnumerable<string>> Select(WorkerSelection selection, string? after = null, int take = 100) =>
            (await Workers(w => w.ListAsync(selection, after is null ? null : WorkerId.From(after), take, CancellationToken.None))).Select(w => w.Id.Value);

        (await Select(new(Region: "eu-west-1", Capabilities: ["gpu", "ssd"], MinCapacity: 8))).Should().Equal("gpu-1", "gpu-2", "gpu-6");
        (await Select(new(Region: "eu-west-1", Capabilities: ["gpu", "ssd"], MinCapacity: 8), after: "gpu-1", take: 1)).Should().Equal("gpu-2");
        (await Select(new(Status: WorkerStatus.Active, Region: "eu-west-1", Capabilities: ["gpu"]))).Should().Equal("gpu-6");
        (await Select(new(Capabilities: ["fpga"]))).Should().Equal("gpu-2");
        (await Select(new(Capabilities: ["gpu", "tpu"]))).Should().BeEmpty();
        (await Select(new(MinCapacity: 33))).Should().Equal("cpu-1", "gpu-5");
        (await Select(new(Region: "eu-west", IdPrefix: "gpu"))).Should().BeEmpty("a region is matched whole, not as a prefix");
        (await Select(new(Region: "EU-WEST-1"))).Should().Equal("cpu-1");
    }

    [Test]
    public async Task A_cordoned_worker_keeps_its_status_and_leaves_the_selections_that_ask_for_schedulable_workers()
    {
        await AddAsync("gpu-1", "eu-west-1", 8, "gpu");
        await AddAsync("gpu-2", "eu-west-1", 8, "gpu");
        await SetStatusAsync("gpu-1", WorkerStatus.Active);
        await SetStatusAsync("gpu-2", WorkerStatus.Active);
        var gpu1 = WorkerId.From("gpu-1");

        (await Workers(w => w.TrySetSchedulableAsync(gpu1, false, "disk swap", TestChange.Now, CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TrySetSchedulableAsync(gpu1, false, "again", TestChange.Now, CancellationToken.None))).Should().BeFalse(
            "it already is out of scheduling");
        (await Workers(w => w.TrySetSchedulableAsync(WorkerId.From("ghost"), false, null, TestChange.Now, CancellationToken.None))).Should().BeFalse();

        var cordoned = await FindAsync("gpu-1");
        cordoned.Schedulable.Should().BeFalse();
        cordoned.Status.Should().Be(WorkerStatus.Active);
        (await FindAsync("gpu-2")).Schedulable.Should().BeTrue();
        (await Ids(new(Status: WorkerStatus.Active, Schedulable: true))).Should().Equal("gpu-2");
        (await Ids(new(Schedulable: false))).Should().Equal("gpu-1");
        (await Ids(new(Status: WorkerStatus.Active))).Should().Equal("gpu-1", "gpu-2");

        (await Workers(w => w.TrySetSchedulableAsync(gpu1, true, null, TestChange.Now, CancellationToken.None))).Should().BeTrue();
        (await FindAsync("gpu-1")).Schedulable.Should().BeTrue();
        (await Ids(new(Schedulable: true))).Should().Equal("gpu-1", "gpu-2");

        async Task<IEnumerable<string>> Ids(WorkerSelection selection) =>
            (await Workers(w => w.ListAsync(selection, null, 100, CancellationToken.None))).Select(w => w.Id.Value);
    }

    private async Task AddAsync(string id, string region, int capacity, params string[] capabilities) =>
        (await Workers(w => w.TryAddAsync(
            Worker.Register(WorkerId.From(id), new WorkerConfiguration(region, capacity, capabilities, new Dictionary<string, string>()), Now, TokenFor(id)),
            "test", CancellationToken.None))).Should().BeTrue();

    private async Task<IEnumerable<string>> ListIdsAsync(WorkerStatus? status, string? idPrefix, string? after, int take) =>
        (await Workers(w => w.ListAsync(
            new WorkerSelection(status, idPrefix), after is null ? null : WorkerId.From(after), take, CancellationToken.None))).Select(w => w.Id.Value);
}
