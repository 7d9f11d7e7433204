using System.Net;
using System.Text.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The fleet reading on its own schedule: each interval of the service's clock it counts the fleet for the
/// gauges and the history, and paces the heartbeats by the whole fleet's size.</summary>
public class FleetReadingTests() : ApiTestBase(new Dictionary<string, string?>
{
    ["WorkerFleet:Metrics:FleetReadingInterval"] = "00:00:15",
    // 0.1 heartbeats a second for the fleet: 3 workers are told to wait 30 s, within the longest wait of 200 s.
    ["WorkerFleet:Lifecycle:MaxHeartbeatsPerSecond"] = "0.1",
    ["WorkerFleet:Lifecycle:HeartbeatTimeout"] = "00:10:00",
})
{
    [Test]
    public async Task Each_interval_the_fleet_is_read_for_the_history_and_the_pacing_counts_every_worker()
    {
        // Two in one region and one in another: the reading holds two counts, and the pacing takes their sum.
        (await Client.RegisterAsync("paced-1", region: "region-a")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.RegisterAsync("paced-2", region: "region-a")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.RegisterAsync("paced-3", region: "region-b")).StatusCode.Should().Be(HttpStatusCode.Created);
        var readings = (await HistoryAsync()).Count;

        Api.Clock.Advance(TimeSpan.FromSeconds(15));
        var history = await NextReadingAsync(readings);

        history[^1].GetProperty("pending").GetInt32().Should().Be(3);
        var answer = await (await Client.HeartbeatAsync("paced-1")).ReadJsonAsync();
        answer.GetProperty("nextHeartbeatInSeconds").GetDouble().Should().BeInRange(30, 37.5, "3 workers at 0.1 a second, spread by up to a quarter");
    }

    /// <summary>The history once the reading after the first <paramref name="readings"/> is in it. The reading runs on
    /// the service's own timer once the clock has moved, so this waits for it, up to 30 seconds.</summary>
    private async Task<List<JsonElement>> NextReadingAsync(int readings)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var history = await HistoryAsync();
            if (history.Count > readings)
            {
                return history;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), patience.Token);
        }
    }

    private async Task<List<JsonElement>> HistoryAsync() =>
        [.. (await (await Client.GetAsync("/metrics/history")).ReadJsonAsync()).GetProperty("points").EnumerateArray()];
}
