using System.Net;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Ten Active workers, six of them fall silent at once: more than half, so the registry suspects itself.</summary>
public class MassFailureProtectionTests() : ApiTestBase()
{
    private static readonly string[] Fleet = [.. Enumerable.Range(0, 10).Select(i => $"w{i}")];

    [Test]
    public async Task A_sweep_that_would_take_most_of_the_fleet_offline_marks_none_raises_an_alarm_and_degrades_health()
    {
        await ArrangeSixOfTenSilentAsync();

        var run = await RunAsync();

        run.Should().BeEmpty();
        (await ListAsync("/workers?status=Active")).Should().HaveCount(10);
        var alarm = (await (await Client.GetAsync("/alarms")).ReadJsonAsync()).GetProperty("alarms").EnumerateArray().Should().ContainSingle().Subject;
        alarm.GetProperty("name").GetString().Should().Be("mass-failure");
        alarm.GetProperty("message").GetString().Should().Contain("6 of 10");
        var health = await Client.GetAsync("/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = await health.ReadJsonAsync();
        report.GetProperty("status").GetString().Should().Be("Degraded");
        report.GetProperty("checks").GetProperty("alarms").GetString().Should().Be("Degraded");
    }

    [Test]
    public async Task An_operator_override_lets_one_held_sweep_through_and_clears_the_alarm()
    {
        await ArrangeSixOfTenSilentAsync();
        await RunAsync();

        (await Client.PostAsync("/alarms/mass-failure/override", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var run = await RunAsync();

        run.Should().BeEquivalentTo(Fleet[4..]);
        (await (await Client.GetAsync("/alarms")).ReadJsonAsync()).GetProperty("alarms").GetArrayLength().Should().Be(0);
        ((await (await Client.GetAsync("/health")).ReadJsonAsync()).GetProperty("status").GetString()).Should().Be("Healthy");
    }

    [Test]
    public async Task Only_an_operator_may_override()
    {
        using var reader = Api.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new("Bearer", WorkerFleetApi.ReaderKey);

        (await reader.PostAsync("/alarms/mass-failure/override", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await reader.GetAsync("/alarms")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    private async Task ArrangeSixOfTenSilentAsync()
    {
        foreach (var id in Fleet)
        {
            await Client.RegisterAsync(id);
            await Client.HeartbeatAsync(id);
        }

        // Past the start-up grace, with every worker Active.
        Api.Clock.Advance(TimeSpan.FromMinutes(3));
        foreach (var id in Fleet)
        {
            await Client.HeartbeatAsync(id);
        }

        (await RunAsync()).Should().BeEmpty();
        (await ListAsync("/workers?status=Active")).Should().HaveCount(10);
        Api.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        foreach (var id in Fleet[..4])
        {
            await Client.HeartbeatAsync(id);
        }
    }

    private async Task<IReadOnlyList<string>> RunAsync()
    {
        var response = await Client.PostAsync("/scheduler/run", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.ReadJsonAsync()).GetProperty("markedOffline").EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private async Task<IReadOnlyList<string>> ListAsync(string url) =>
        (await (await Client.GetAsync(url)).ReadJsonAsync()).GetProperty("items").EnumerateArray()
            .Select(w => w.GetProperty("id").GetString()!).ToList();
}
