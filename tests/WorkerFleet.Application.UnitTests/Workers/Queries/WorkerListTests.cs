using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Queries;

public class WorkerListTests : ApplicationTest
{
    private static readonly string[] UnorderedIds = ["b", "B", "a-2", "a-10", "A"];

    private static readonly string[] OrdinalOrder = ["A", "B", "a-10", "a-2", "b"];

    [Test]
    public async Task All_workers_are_listed_in_ordinal_id_order()
    {
        await RegisterAllAsync(UnorderedIds);

        var page = (await SendAsync(new ListWorkers())).Value;

        page.Items.Select(w => w.Id.Value).Should().Equal(OrdinalOrder);
        page.NextCursor.Should().BeNull();
    }

    [Test]
    public async Task Following_the_cursors_reads_every_worker_once_a_page_at_a_time()
    {
        await RegisterAllAsync(UnorderedIds);

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Limit = 2, Cursor = cursor }, w => w.Id);

        pages.Should().BeEquivalentTo(new[] { new[] { "A", "B" }, ["a-10", "a-2"], ["b"] }, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task A_full_page_that_ends_the_list_has_no_cursor()
    {
        await RegisterAllAsync(["w1", "w2", "w3", "w4"]);

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Limit = 2, Cursor = cursor }, w => w.Id);

        pages.Should().HaveCount(2).And.AllSatisfy(p => p.Should().HaveCount(2));
    }

    [Test]
    public async Task Without_a_limit_a_page_holds_100_workers()
    {
        await RegisterAllAsync(Enumerable.Range(0, 101).Select(i => $"w{i:000}"));

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Cursor = cursor }, w => w.Id);

        pages.Select(p => p.Length).Should().Equal(100, 1);
        pages[1].Should().Equal("w100");
    }

    [Test]
    public async Task An_empty_fleet_is_one_empty_page()
    {
        var page = (await SendAsync(new ListWorkers())).Value;

        page.Items.Should().BeEmpty();
        page.NextCursor.Should().BeNull();
    }

    [Test]
    public async Task A_cursor_still_continues_after_its_worker_is_unregistered()
    {
        await RegisterAllAsync(["w1", "w2", "w3"]);
        var first = (await SendAsync(new ListWorkers { Limit = 1 })).Value;

        await SendAsync(new UnregisterWorker("w1"));
        var second = (await SendAsync(new ListWorkers { Limit = 1, Cursor = first.NextCursor })).Value;

        first.Items.Select(w => w.Id.Value).Should().Equal("w1");
        second.Items.Select(w => w.Id.Value).Should().Equal("w2");
    }

    [Test]
    public async Task Active_workers_are_the_active_ones_only_paged_by_id()
    {
        await SetUpFleetAsync();

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Status = "Active", Limit = 1, Cursor = cursor }, w => w.Id);

        pages.Should().BeEquivalentTo(new[] { new[] { "active-1" }, ["active-2"] }, o => o.WithStrictOrdering());
    }

    [TestCase("Pending", "pending-1")]
    [TestCase("Active", "active-1", "active-2")]
    [TestCase("Offline", "offline-1")]
    [TestCase("Failed", "failed-1")]
    public async Task Workers_by_status_are_the_workers_in_that_status(string status, params string[] expected)
    {
        await SetUpFleetAsync();

        var page = (await SendAsync(new ListWorkers { Status = status })).Value;

        page.Items.Select(w => w.Id.Value).Should().Equal(expected);
        page.Items.Should().OnlyContain(w => w.Status.ToString() == status);
    }

    [TestCase("offline")]
    [TestCase("OFFLINE")]
    [TestCase("oFFLINE")]
    public async Task Workers_by_status_accepts_the_status_name_in_any_case(string status)
    {
        await SetUpFleetAsync();

        var page = (await SendAsync(new ListWorkers { Status = status })).Value;

        page.Items.Select(w => w.Id.Value).Should().Equal("offline-1");
    }

    [Test]
    public async Task Workers_by_status_are_paged_within_that_status()
    {
        await SetUpFleetAsync();

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Status = "active", Limit = 1, Cursor = cursor }, w => w.Id);

        pages.Should().BeEquivalentTo(new[] { new[] { "active-1" }, ["active-2"] }, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task Workers_whose_id_starts_with_a_prefix_are_paged_by_id()
    {
        await RegisterAllAsync(["web-3", "db-1", "web-1", "Web-2", "web-10", "webx", "web-2"]);

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Limit = 2, Cursor = cursor, IdPrefix = "web-" }, w => w.Id);

        pages.Should().BeEquivalentTo(new[] { new[] { "web-1", "web-10" }, ["web-2", "web-3"] }, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task An_id_prefix_matches_case_sensitively_and_includes_the_id_equal_to_it()
    {
        await RegisterAllAsync(["Web-1", "web-1", "web-10", "WEB-3"]);

        (await SendAsync(new ListWorkers { IdPrefix = "W" })).Value.Items.Select(w => w.Id.Value).Should().Equal("WEB-3", "Web-1");
        (await SendAsync(new ListWorkers { IdPrefix = "web-1" })).Value.Items.Select(w => w.Id.Value).Should().Equal("web-1", "web-10");
    }

    [Test]
    public async Task Workers_by_status_and_id_prefix_are_paged_within_both()
    {
        await RegisterInAsync("eu-0", WorkerStatus.Offline);
        foreach (var id in new[] { "eu-3", "eu-1", "us-1", "EU-2", "eu-4" })
        {
            await RegisterInAsync(id, WorkerStatus.Active);
        }

        await RegisterAsync("eu-2");

        var pages = await ReadPagesAsync(cursor => new ListWorkers { Status = "active", Limit = 2, Cursor = cursor, IdPrefix = "eu-" }, w => w.Id);

        pages.Should().BeEquivalentTo(new[] { new[] { "eu-1", "eu-3" }, ["eu-4"] }, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task An_id_prefix_no_worker_has_is_one_empty_page()
    {
        await RegisterAllAsync(["web-1", "web-2"]);

        var page = (await SendAsync(new ListWorkers { Status = "Pending", IdPrefix = "db" })).Value;

        page.Items.Should().BeEmpty();
        page.NextCursor.Should().BeNull();
    }

    private async Task RegisterAllAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            await RegisterAsync(id);
        }
    }

    private async Task SetUpFleetAsync()
    {
        await RegisterInAsync("offline-1", WorkerStatus.Offline);
        await RegisterInAsync("active-2", WorkerStatus.Active);
        await RegisterInAsync("active-1", WorkerStatus.Active);
        await RegisterInAsync("pending-1", WorkerStatus.Pending);
        await RegisterInAsync("failed-1", WorkerStatus.Failed);
    }
}
