using System.Net;
using System.Net.Http.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

public class WorkerSelectionApiTests() : ApiTestBase()
{
    [Test]
    public async Task The_list_selects_by_status_region_every_capability_and_minimum_capacity_on_the_server()
    {
        await RegisterAsync("gpu-1", "eu-west-1", 8, "gpu", "ssd");
        await RegisterAsync("gpu-2", "eu-west-1", 4, "gpu", "ssd");
        await RegisterAsync("gpu-3", "us-east-1", 16, "gpu", "ssd");
        await RegisterAsync("gpu-4", "eu-west-1", 16, "ssd");
        await RegisterAsync("gpu-5", "eu-west-1", 32, "ssd", "gpu");

        (await IdsAsync("/workers?region=eu-west-1&capability=gpu&capability=ssd&minCapacity=8")).Should().Equal("gpu-1", "gpu-5");
        (await IdsAsync("/workers?region=eu-west-1&capability=gpu&capability=ssd&minCapacity=8&limit=1")).Should().Equal("gpu-1");
        (await IdsAsync("/workers?status=pending&capability=gpu&idPrefix=gpu-")).Should().Equal("gpu-1", "gpu-2", "gpu-3", "gpu-5");
        (await IdsAsync("/workers?status=active&region=eu-west-1")).Should().BeEmpty();
    }

    [TestCase("minCapacity=0", "minCapacity")]
    [TestCase("minCapacity=100001", "minCapacity")]
    [TestCase("capability=", "capability")]
    [TestCase("region=", "region")]
    public async Task A_selection_out_of_range_is_a_validation_problem_naming_the_parameter(string query, string field)
    {
        var problem = await (await Client.GetAsync($"/workers?{query}")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-configuration");

        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue();
    }

    [Test]
    public async Task An_admin_cordons_a_worker_out_of_schedulable_selections_without_changing_its_status_and_back()
    {
        await RegisterAsync("gpu-1", "eu-west-1", 8, "gpu");
        await RegisterAsync("gpu-2", "eu-west-1", 8, "gpu");

        var cordon = await Client.PutAsJsonAsync("/workers/gpu-1/schedulable", new { schedulable = false, reason = "disk swap" });

        cordon.StatusCode.Should().Be(HttpStatusCode.OK);
        var worker = await cordon.ReadJsonAsync();
        worker.GetProperty("schedulable").GetBoolean().Should().BeFalse();
        worker.GetProperty("status").GetString().Should().Be("Pending");
        (await (await Client.GetAsync("/workers/gpu-1")).ReadJsonAsync()).GetProperty("schedulable").GetBoolean().Should().BeFalse();
        (await (await Client.GetAsync("/workers/gpu-2/metadata")).ReadJsonAsync()).GetProperty("worker").GetProperty("schedulable").GetBoolean()
            .Should().BeTrue();
        (await IdsAsync("/workers?capability=gpu&schedulable=true")).Should().Equal("gpu-2");
        (await IdsAsync("/workers?schedulable=false")).Should().Equal("gpu-1");
        (await IdsAsync("/workers?status=pending")).Should().Equal("gpu-1", "gpu-2");
        var events = await (await Client.GetAsync("/workers/gpu-1/events")).ReadJsonAsync();
        var newest = events.GetProperty("items")[0];
        newest.GetProperty("type").GetString().Should().Be("cordoned");
        newest.GetProperty("reason").GetString().Should().Be($"Taken out of scheduling by {WorkerFleetApi.AdminName}: disk swap.");

        (await Client.PutAsJsonAsync("/workers/gpu-1/schedulable", new { schedulable = true })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await IdsAsync("/workers?schedulable=true")).Should().Equal("gpu-1", "gpu-2");
    }

    [TestCase("{}", "invalid-configuration")]
    [TestCase("""{"schedulable":null}""", "invalid-configuration")]
    [TestCase("""{"schedulable":"false"}""", "malformed-request")]
    [TestCase("""{"schedulable":false,"reason":"two\nlines"}""", "invalid-configuration")]
    public async Task A_cordon_without_a_clear_decision_is_refused_and_changes_nothing(string body, string type)
    {
        await RegisterAsync("gpu-1", "eu-west-1", 8, "gpu");

        var response = await Client.PutAsync("/workers/gpu-1/schedulable", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, type);
        (await IdsAsync("/workers?schedulable=true")).Should().Equal("gpu-1");
    }

    [Test]
    public async Task Cordoning_an_unknown_worker_is_not_found_and_a_schedulable_filter_that_is_not_a_boolean_is_refused()
    {
        await (await Client.PutAsJsonAsync("/workers/ghost/schedulable", new { schedulable = false }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");
        await (await Client.GetAsync("/workers?schedulable=maybe")).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    private async Task RegisterAsync(string id, string region, int capacity, params string[] capabilities) =>
        (await Client.PostAsJsonAsync("/workers", new { id, region, capacity, capabilities })).StatusCode.Should().Be(HttpStatusCode.Created);

    private async Task<List<string?>> IdsAsync(string url)
    {
        var page = await (await Client.GetAsync(url)).ReadJsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetString())];
    }
}
