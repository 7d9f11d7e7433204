using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>kill -9 under load: every registration and heartbeat the service acknowledged must survive, on both
/// providers. Heartbeats are written in group-committed batches, so this is also the proof that no caller hears 200
/// before its batch committed.</summary>
[TestFixture("Postgres")]
[TestFixture("Sqlite")]
public class CrashSafetyTests(string provider)
{
    private const int Workers = 64;
    private const int HeartbeatLoops = 32;

    [Test]
    public async Task Every_acknowledged_write_survives_a_kill_9()
    {
        await using var database = provider == "Postgres" ? await TestDatabase.CreateAsync("crash") : null;
        var directory = Directory.CreateTempSubdirectory("workerfleet-crash-").FullName;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["WorkerFleet:Storage:Provider"] = provider,
                ["WorkerFleet:Security:HeartbeatRateLimit"] = "1000000",
                // Large enough that the retained history is every heartbeat: its size is the count to compare.
                ["WorkerFleet:Lifecycle:HeartbeatHistorySize"] = "10000",
            };
            if (database is not null)
            {
                settings["ConnectionStrings:WorkerFleet"] = database.ConnectionString;
            }
            else
            {
                settings["WorkerFleet:Storage:SqlitePath"] = Path.Combine(directory, "workerfleet.db");
            }

            var load = new AcknowledgedLoad();
            using (var service = ServiceProcess.Start(directory, settings))
            {
                await service.WaitUntilHealthyAsync();
                using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                for (var i = 0; i < Workers; i++)
                {
                    await load.RegisterAsync(client, $"crash-{i}", CancellationToken.None);
                }

                using var stop = new CancellationTokenSource();
                var loops = Enumerable.Range(0, HeartbeatLoops).Select(loop => Task.Run(() => load.HeartbeatAsync(client, loop, stop.Token)))
                    .Append(Task.Run(() => load.KeepRegisteringAsync(client, stop.Token)))
                    .ToArray();

                await ServiceProcess.WaitForAsync(
                    () => load.Heartbeats >= 3000 && load.Registered.Count >= Workers + 20, "load to build up", TimeSpan.FromSeconds(90), service);
                service.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(loops);
            }

            NpgsqlConnection.ClearAllPools();
            SqliteConnection.ClearAllPools();
            using var restarted = ServiceProcess.Start(directory, settings);
            await restarted.WaitUntilHealthyAsync();
            using var reader = new HttpClient { BaseAddress = restarted.BaseAddress };
            reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WorkerFleetApi.ReaderKey);
            var stored = await StoredAsync(reader);

            stored.Keys.Should().Contain(load.Registered.Keys, "every acknowledged registration is stored");
            foreach (var (id, acknowledged) in load.Acknowledged)
            {
                stored[id].Count.Should().BeGreaterThanOrEqualTo(acknowledged.Count, $"every acknowledged heartbeat of {id} is stored");
                stored[id].Last.Should().NotBeNull().And.BeOnOrAfter(acknowledged.Newest, $"the newest acknowledged heartbeat of {id} is stored");
            }

            TestContext.Out.WriteLine(
                $"{provider}: acknowledged before the kill: {load.Registered.Count} registrations, {load.Heartbeats} heartbeats");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Each worker's stored heartbeat count (its retained history) and last heartbeat, read back through the API.</summary>
    private static async Task<Dictionary<string, (long Count, DateTimeOffset? Last)>> StoredAsync(HttpClient reader)
    {
        var stored = new Dictionary<string, (long, DateTimeOffset?)>(StringComparer.Ordinal);
        string? cursor = null;
        var pages = 0;
        do
        {
            (++pages).Should().BeLessThan(1000, "following the cursors must reach the last page");
            var page = await reader.GetFromJsonAsync<JsonElement>(
                "/workers/metadata?limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var last = item.GetProperty("lastHeartbeatAt");
                stored[item.GetProperty("worker").GetProperty("id").GetString()!] = (
                    item.GetProperty("heartbeatCount").GetInt64(),
                    last.ValueKind == JsonValueKind.Null ? null : last.GetDateTimeOffset());
            }

            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return stored;
    }

    /// <summary>Registrations and heartbeats, counting only what the service acknowledged.</summary>
    private sealed class AcknowledgedLoad
    {
        private int _heartbeats;

        public ConcurrentDictionary<string, string> Registered { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, (int Count, DateTimeOffset Newest)> Acknowledged { get; } = new(StringComparer.Ordinal);

        public int Heartbeats => Volatile.Read(ref _heartbeats);

        public async Task RegisterAsync(HttpClient client, string id, CancellationToken stop)
        {
            using var register = new HttpRequestMessage(HttpMethod.Post, "/workers") { Content = JsonContent.Create(new { id, region = "r", capacity = 1 }) };
            register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.RegistrationKey);
            using var response = await client.SendAsync(register, stop);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                Registered[id] = (await response.Content.ReadFromJsonAsync<JsonElement>(stop)).GetProperty("token").GetString()!;
            }
        }

        public async Task KeepRegisteringAsync(HttpClient client, CancellationToken stop)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                await UntilKilledAsync(() => RegisterAsync(client, $"crash-late-{n}", stop));
            }
        }

        public async Task HeartbeatAsync(HttpClient client, int loop, CancellationToken stop)
        {
            var random = new Random(loop);
            var workers = Registered.ToArray();
            while (!stop.IsCancellationRequested)
            {
                var (id, token) = workers[random.Next(workers.Length)];
                await UntilKilledAsync(async () =>
                {
                    using var heartbeat = new HttpRequestMessage(HttpMethod.Post, $"/workers/{id}/heartbeat");
                    heartbeat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var answer = await client.SendAsync(heartbeat, stop);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        var receivedAt = (await answer.Content.ReadFromJsonAsync<JsonElement>(stop)).GetProperty("receivedAt").GetDateTimeOffset();
                        Acknowledged.AddOrUpdate(id, (1, receivedAt), (_, seen) => (seen.Count + 1, receivedAt > seen.Newest ? receivedAt : seen.Newest));
                        Interlocked.Increment(ref _heartbeats);
                    }
                });
            }
        }

        private static async Task UntilKilledAsync(Func<Task> request)
        {
            try
            {
                await request();
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
            {
                // The service died under this request: it was never acknowledged, so it is not counted.
            }
        }
    }
}
