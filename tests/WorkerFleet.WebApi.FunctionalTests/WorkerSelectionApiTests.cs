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

    private async Task RegisterAsync(string id, string region, int capacity, params string[] capabilities) =>
        (await Client.PostAsJsonAsync("/workers", new { id, region, capacity, capabilities })).StatusCode.Should().Be(HttpStatusCode.Created);

    private async Task<List<string?>> IdsAsync(string url)
    {
        var page = await (await Client.GetAsync(url)).ReadJsonAsync();
        return [.. page.GetProperty("items").EnumerateArray().Select(w => w.GetProperty("id").GetString())];
    }
}
