using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace WorkerFleet.WebApi.FunctionalTests;

public class LifecycleApiTests() : ApiTestBase(new Dictionary<string, string?> { ["WorkerFleet:Lifecycle:HeartbeatHistorySize"] = "5" })
{
    [Test]
    public async Task A_heartbeat_answers_the_server_time_and_the_unchanged_status()
    {
        await Client.RegisterAsync("worker-1");
        Api.Clock.Advance(TimeSpan.FromSeconds(3));

        var response = await Client.HeartbeatAsync("worker-1");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var receipt = await response.ReadJsonAsync();
        receipt.GetProperty("workerId").GetString().Should().Be("worker-1");
        var now = Json(Api.Clock.GetUtcNow());
        receipt.GetProperty("receivedAt").GetString().Should().Be(now);
        receipt.GetProperty("status").GetString().Should().Be("Pending");
        // Paced for a fleet of at most one worker: the minimum interval and its spread, or a third of the timeout
        // before the first reading of the fleet.
        receipt.GetProperty("nextHeartbeatInSeconds").GetDouble().Should().BeInRange(1, 40);
        var worker = await (await Client.GetAsync("/workers/worker-1")).ReadJsonAsync();
        worker.GetProperty("status").GetString().Should().Be("Pending");
        worker.GetProperty("lastHeartbeatAt").GetString().Should().Be(now);
    }

    [Test]
    public async Task A_heartbeat_for_an_unknown_or_malformed_id_is_refused_because_no_token_can_be_its()
    {
        await (await Client.HeartbeatAsync("ghost")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await Client.HeartbeatAsync("-bad")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Test]
    public async Task Metadata_and_history_show_the_bounded_heartbeat_history()
    {
        await Client.RegisterAsync("worker-1");
        var start = Api.Clock.GetUtcNow();
        for (var i = 0; i < 7; i++)
        {
            Api.Clock.Advance(TimeSpan.FromSeconds(1));
            await Client.HeartbeatAsync("worker-1");
        }

        var metadata = await (await Client.GetAsync("/workers/worker-1/metadata")).ReadJsonAsync();
        var history = await (await Client.GetAsync("/workers/worker-1/heartbeats?limit=3")).ReadJsonAsync();
        var all = await (await Client.GetAsync("/workers/worker-1/heartbeats")).ReadJsonAsync();

        metadata.GetProperty("worker").GetProperty("id").GetString().Should().Be("worker-1");
        metadata.GetProperty("lastHeartbeatAt").GetString().Should().Be(Json(start.AddSeconds(7)));
        metadata.GetProperty("heartbeatCount").GetInt32().Should().Be(5);
        history.GetProperty("workerId").GetString().Should().Be("worker-1");
        history.GetProperty("heartbeats").EnumerateArray().Select(h => h.GetString())
            .Should().Equal(Json(start.AddSeconds(7)), Json(start.AddSeconds(6)), Json(start.AddSeconds(5)));
        all.GetProperty("heartbeats").GetArrayLength().Should().Be(5);
    }

    [Test]
    public async Task Scheduler_run_moves_workers_through_the_whole_lifecycle()
    {
        await Client.RegisterAsync("worker-1");
        await Client.RegisterAsync("worker-2");
        await Client.RegisterAsync("worker-3");
        await Client.HeartbeatAsync("worker-1");
        await Client.HeartbeatAsync("worker-2");

        var activation = await RunSchedulerAsync();
        activation.Should().BeEquivalentTo(new LifecycleRun(["worker-1", "worker-2"], [], []));
        (await ListIdsAsync("/workers/active")).Should().Equal("worker-1", "worker-2");

        Api.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var timeout = await RunSchedulerAsync();
        timeout.Should().BeEquivalentTo(new LifecycleRun([], ["worker-1", "worker-2"], []));

        await Client.HeartbeatAsync("worker-1");
        var reactivation = await RunSchedulerAsync();
        reactivation.Should().BeEquivalentTo(new LifecycleRun([], [], ["worker-1"]));

        (await ListIdsAsync("/workers?status=offline")).Should().Equal("worker-2");
        (await ListIdsAsync("/workers?status=PENDING")).Should().Equal("worker-3");
        (await ListIdsAsync("/workers/active")).Should().Equal("worker-1");
    }

    [Test]
    public async Task Activation_ignores_a_heartbeat_older_than_the_timeout()
    {
        await Client.RegisterAsync("worker-1");
        await Client.HeartbeatAsync("worker-1");
        Api.Clock.Advance(TimeSpan.FromMinutes(3));

        (await RunSchedulerAsync()).Activated.Should().BeEmpty();
    }

    [Test]
    public async Task An_operator_can_fail_a_worker_and_failed_is_terminal()
    {
        await Client.RegisterAsync("worker-1");

        var failed = await Client.PutAsJsonAsync("/workers/worker-1/status", new { status = "failed", expectedStatus = "Pending" });
        failed.StatusCode.Should().Be(HttpStatusCode.OK);
        (await failed.ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Failed");

        var back = await Client.PutAsJsonAsync("/workers/worker-1/status", new { status = "Active" });
        await back.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-state-transition");

        await Client.HeartbeatAsync("worker-1");
        (await RunSchedulerAsync()).Activated.Should().BeEmpty();
        (await (await Client.GetAsync("/workers/worker-1")).ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Failed");
    }

    [Test]
    public async Task A_status_change_with_a_stale_expected_status_answers_409_and_changes_nothing()
    {
        await Client.RegisterAsync("worker-1");

        var response = await Client.PutAsJsonAsync("/workers/worker-1/status", new { status = "Failed", expectedStatus = "Active" });

        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict, "status-conflict");
        (await (await Client.GetAsync("/workers/worker-1")).ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Pending");
    }

    [Test]
    public async Task Status_changes_are_validated()
    {
        await Client.RegisterAsync("worker-1");

        await (await Client.PutAsJsonAsync("/workers/ghost/status", new { status = "Failed" }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");
        var bogus = await (await Client.PutAsJsonAsync("/workers/worker-1/status", new { status = "Sleeping" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-configuration");
        bogus.GetProperty("errors").TryGetProperty("status", out _).Should().BeTrue();
        await (await Client.PutAsJsonAsync("/workers/worker-1/status", new { status = "Active" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-state-transition");
    }

    [Test]
    public async Task Lists_page_by_id_with_an_opaque_cursor()
    {
        foreach (var id in new[] { "w-5", "w-1", "w-4", "w-2", "w-3" })
        {
            await Client.RegisterAsync(id);
        }

        var pages = await ReadAllPagesAsync("/workers?limit=2");

        pages.SelectMany(ids => ids).Should().Equal("w-1", "w-2", "w-3", "w-4", "w-5");
        pages.Should().HaveCount(3);
    }

    [Test]
    public async Task Lists_filter_by_id_prefix_within_the_status_a_page_at_a_time()
    {
        foreach (var id in new[] { "eu-3", "us-1", "eu-1", "EU-4", "eu-2", "eu_5", "eu-6" })
        {
            await Client.RegisterAsync(id);
            if (id != "eu-2")
            {
                await Client.HeartbeatAsync(id);
            }
        }

        await RunSchedulerAsync();

        (await ReadAllPagesAsync("/workers?idPrefix=eu-&limit=2")).Should().BeEquivalentTo(
            new[] { new[] { "eu-1", "eu-2" }, ["eu-3", "eu-6"] }, o => o.WithStrictOrdering());
        (await ReadAllPagesAsync("/workers?status=Active&idPrefix=eu-&limit=2")).Should().BeEquivalentTo(
            new[] { new[] { "eu-1", "eu-3" }, ["eu-6"] }, o => o.WithStrictOrdering());
        (await ReadAllPagesAsync("/workers?status=pending&idPrefix=eu")).Should().BeEquivalentTo(
            new[] { new[] { "eu-2" } }, o => o.WithStrictOrdering());
        (await ReadAllPagesAsync("/workers?idPrefix=E")).Should().BeEquivalentTo(
            new[] { new[] { "EU-4" } }, o => o.WithStrictOrdering());
        (await ReadAllPagesAsync("/workers?idPrefix=eu_")).Should().BeEquivalentTo(
            new[] { new[] { "eu_5" } }, o => o.WithStrictOrdering());
    }

    [TestCase("/workers?idPrefix=")]
    [TestCase("/workers?idPrefix=eu%25")]
    [TestCase("/workers?status=Active&idPrefix=eu%201")]
    [TestCase("/workers?status=Active&idPrefix=w%C3%B6rker")]
    public async Task A_bad_id_prefix_answers_a_validation_problem_and_changes_nothing(string url)
    {
        await Client.RegisterAsync("eu-1");
        var before = await FleetSnapshot.TakeAsync(Api);

        var problem = await (await Client.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-configuration");

        problem.GetProperty("errors").GetProperty("idPrefix").EnumerateArray().Select(e => e.GetString())
            .Should().Equal("idPrefix must be 1–128 characters of A–Z a–z 0–9 . _ -.");
        (await FleetSnapshot.TakeAsync(Api)).Should().Be(before);
    }

    [Test]
    public async Task Counts_are_the_workers_in_each_status_and_their_total()
    {
        foreach (var id in new[] { "w-1", "w-2", "w-3", "w-4", "w-5", "w-6" })
        {
            await Client.RegisterAsync(id);
        }

        await Client.HeartbeatAsync("w-1");
        await Client.HeartbeatAsync("w-2");
        await Client.HeartbeatAsync("w-3");
        await RunSchedulerAsync();
        Api.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await Client.HeartbeatAsync("w-1");
        await Client.HeartbeatAsync("w-2");
        (await RunSchedulerAsync()).MarkedOffline.Should().Equal("w-3");
        (await Client.PutAsJsonAsync("/workers/w-2/status", new { status = "Failed" })).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await Client.GetAsync("/workers/counts");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"pending":3,"active":1,"offline":1,"failed":1,"total":6}""");
    }

    [TestCase("/workers?status=")]
    [TestCase("/workers?status=sleeping")]
    [TestCase("/workers?status=1")]
    [TestCase("/workers/metadata?status=nope")]
    [TestCase("/workers?limit=0")]
    [TestCase("/workers?limit=1001")]
    [TestCase("/workers?cursor=not-a-cursor!")]
    [TestCase("/workers/active?cursor=LWJhZA")]
    [TestCase("/workers/worker-1/heartbeats?limit=0")]
    [TestCase("/workers/worker-1/heartbeats?limit=1001")]
    [TestCase("/workers/worker-1/heartbeats?limit=-1")]
    [TestCase("/workers/worker-1/heartbeats?limit=many")]
    public async Task Bad_query_parameters_answer_400(string url)
    {
        var response = await Client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Test]
    public async Task The_metadata_list_filters_by_status()
    {
        await Client.RegisterAsync("worker-1");
        await Client.RegisterAsync("worker-2");
        await Client.HeartbeatAsync("worker-2");
        await RunSchedulerAsync();

        var page = await (await Client.GetAsync("/workers/metadata?status=active")).ReadJsonAsync();

        var item = page.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        item.GetProperty("worker").GetProperty("id").GetString().Should().Be("worker-2");
        item.GetProperty("heartbeatCount").GetInt32().Should().Be(1);
        page.GetProperty("nextCursor").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public async Task Parallel_heartbeats_and_a_sweep_at_once_lose_nothing()
    {
        await Client.RegisterAsync("worker-1");
        await Client.HeartbeatAsync("worker-1");

        var heartbeats = Enumerable.Range(0, 30).Select(_ => Client.HeartbeatAsync("worker-1"));
        var sweep = Client.PostAsync("/scheduler/run", content: null);
        var responses = await Task.WhenAll(heartbeats.Append(sweep));

        responses.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.OK);
        var metadata = await (await Client.GetAsync("/workers/worker-1/metadata")).ReadJsonAsync();
        metadata.GetProperty("worker").GetProperty("status").GetString().Should().Be("Active");
        metadata.GetProperty("heartbeatCount").GetInt32().Should().Be(5, "history is bounded at 5 here and 31 heartbeats arrived");
        await using var scope = Api.Services.CreateAsyncScope();
        var recorded = await scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.WorkerFleetDbContext>()
            .Workers.Where(w => w.Id == "worker-1").Select(w => w.HeartbeatsRecorded).SingleAsync();
        recorded.Should().Be(31);
    }

    [Test]
    public async Task Health_reports_each_check()
    {
        var response = await Client.GetAsync("/health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var health = await response.ReadJsonAsync();
        health.GetProperty("status").GetString().Should().Be("Healthy");
        health.GetProperty("checks").GetProperty("database").GetString().Should().Be("Healthy");
        health.GetProperty("checks").GetProperty("scheduler").GetString().Should().Be("Healthy");
    }

    [Test]
    public async Task Unknown_routes_answer_a_404_problem()
    {
        var response = await Client.GetAsync("/nowhere");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Test]
    public async Task The_openapi_document_lists_the_worker_routes()
    {
        var document = await (await Client.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        document.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should().Contain(
            ["/workers", "/workers/counts", "/workers/{id}", "/workers/{id}/heartbeat", "/workers/{id}/status", "/scheduler/run"]);
    }

    private async Task<LifecycleRun> RunSchedulerAsync()
    {
        var response = await Client.PostAsync("/scheduler/run", content: null);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<LifecycleRun>())!;
    }

    private async Task<IReadOnlyList<string>> ListIdsAsync(string url)
    {
        var page = await (await Client.GetAsync(url)).ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>Follows the cursors from <paramref name="url"/> to the last page; returns the ids on each page.</summary>
    private async Task<List<string[]>> ReadAllPagesAsync(string url)
    {
        var pages = new List<string[]>();
        string? cursor = null;
        do
        {
            pages.Count.Should().BeLessThan(1000, "following the cursors must reach the last page");
            var page = await (await Client.GetAsync(url + (cursor is null ? "" : $"&cursor={cursor}"))).ReadJsonAsync();
            pages.Add(page.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetString()!).ToArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return pages;
    }

    private static string Json(DateTimeOffset at) => JsonSerializer.Serialize(at.UtcDateTime).Trim('"');

    private sealed record LifecycleRun(IReadOnlyList<string> Activated, IReadOnlyList<string> MarkedOffline, IReadOnlyList<string> Reactivated);
}
