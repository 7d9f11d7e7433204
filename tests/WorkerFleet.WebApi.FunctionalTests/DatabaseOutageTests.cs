using System.Net;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>PostgreSQL goes away under a running service and comes back: requests fail fast with 503, health and
/// alarms say why, and afterwards everything works again without a restart and nobody was marked Offline for it.</summary>
public class DatabaseOutageTests
{
    [Test]
    public async Task The_service_rides_out_a_database_restart()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        using var api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:WorkerFleet"] = postgres.ConnectionString,
            ["WorkerFleet:Storage:CommandTimeout"] = "00:00:05",
        });
        using var client = api.CreateOperatorClient();
        client.Timeout = TimeSpan.FromSeconds(60);
        foreach (var id in new[] { "w1", "w2", "w3" })
        {
            (await client.RegisterAsync(id)).StatusCode.Should().Be(HttpStatusCode.Created);
            (await client.HeartbeatAsync(id)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        api.Clock.Advance(TimeSpan.FromMinutes(3));
        await client.HeartbeatAsync("w1");
        await client.HeartbeatAsync("w2");
        await client.HeartbeatAsync("w3");
        (await client.PostAsync("/scheduler/run", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        await postgres.StopAsync();

        // Under load: every request of a burst answers (none hangs), each with 503 and Retry-After.
        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => i % 2 == 0
            ? client.HeartbeatAsync($"w{1 + (i % 3)}")
            : client.GetAsync($"/workers/w{1 + (i % 3)}")));
        burst.Should().OnlyContain(r => r.StatusCode == HttpStatusCode.ServiceUnavailable && r.Headers.RetryAfter != null);
        var heartbeat = await client.HeartbeatAsync("w1");
        await heartbeat.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        heartbeat.Headers.RetryAfter!.Delta.Should().BePositive();
        await (await client.GetAsync("/workers/w1")).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "storage-unavailable");
        (await client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var alarms = await (await client.GetAsync("/alarms")).ReadJsonAsync();
        alarms.GetProperty("alarms").EnumerateArray().Select(a => a.GetProperty("name").GetString()).Should().Contain("storage-unavailable");

        // The outage outlasts the heartbeat timeout: every worker's last heartbeat is now stale.
        api.Clock.Advance(TimeSpan.FromMinutes(5));
        await postgres.StartAgainAsync();

        (await FirstSuccessAsync(() => client.GetAsync("/workers/w1"))).Should().Be(HttpStatusCode.OK);
        var run = await (await client.PostAsync("/scheduler/run", null)).ReadJsonAsync();
        run.GetProperty("markedOffline").GetArrayLength().Should().Be(0, "workers could not reach us during the outage");
        (await client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
        var after = await (await client.GetAsync("/alarms")).ReadJsonAsync();
        after.GetProperty("alarms").GetArrayLength().Should().Be(0);
        (await client.HeartbeatAsync("w1")).StatusCode.Should().Be(HttpStatusCode.OK);

        // One heartbeat timeout after the recovery, stale detection is back to normal.
        api.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await client.HeartbeatAsync("w1");
        var later = await (await client.PostAsync("/scheduler/run", null)).ReadJsonAsync();
        later.GetProperty("markedOffline").EnumerateArray().Select(e => e.GetString()).Should().BeEquivalentTo(["w2", "w3"]);
    }

    /// <summary>Pooled connections broken by the restart fail once each; the service must recover by itself.</summary>
    private static async Task<HttpStatusCode> FirstSuccessAsync(Func<Task<HttpResponseMessage>> send)
    {
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 20 && status == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            status = (await send()).StatusCode;
        }

        return status;
    }
}
