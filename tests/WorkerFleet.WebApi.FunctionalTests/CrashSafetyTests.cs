using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>kill -9 under load: every registration and heartbeat the service acknowledged must survive.</summary>
public class CrashSafetyTests
{
    [Test]
    public async Task Every_acknowledged_write_survives_a_kill_9()
    {
        await using var database = await TestDatabase.CreateAsync("crash");
        var connectionString = database.ConnectionString;
        var directory = Directory.CreateTempSubdirectory("workerfleet-crash-").FullName;
        try
        {
            var settings = new Dictionary<string, string>
            {
                ["WorkerFleet:Storage:Provider"] = "Postgres",
                ["ConnectionStrings:WorkerFleet"] = connectionString,
                ["WorkerFleet:Security:HeartbeatRateLimit"] = "1000000",
            };
            var registered = new ConcurrentDictionary<string, string>();
            var acknowledgedHeartbeats = new ConcurrentDictionary<string, int>();
            using (var service = ServiceProcess.Start(directory, settings))
            {
                await service.WaitUntilHealthyAsync();
                using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                using var stop = new CancellationTokenSource();
                var load = Enumerable.Range(0, 6).Select(loop => Task.Run(() => LoadAsync(client, loop, registered, acknowledgedHeartbeats, stop.Token))).ToArray();

                await ServiceProcess.WaitForAsync(
                    () => registered.Count >= 60 && acknowledgedHeartbeats.Values.Sum() >= 200, "load to build up", TimeSpan.FromSeconds(60), service);
                service.Kill();
                await stop.CancelAsync();
                await Task.WhenAll(load);
            }

            NpgsqlConnection.ClearAllPools();
            using var restarted = ServiceProcess.Start(directory, settings);
            await restarted.WaitUntilHealthyAsync();
            var stored = await StoredHeartbeatsAsync(connectionString);

            stored.Keys.Should().Contain(registered.Keys, "every acknowledged registration is stored");
            foreach (var (id, acknowledged) in acknowledgedHeartbeats)
            {
                stored[id].Should().BeGreaterThanOrEqualTo(acknowledged, $"every acknowledged heartbeat of {id} is stored");
            }

            TestContext.Out.WriteLine($"acknowledged before the kill: {registered.Count} registrations, {acknowledgedHeartbeats.Values.Sum()} heartbeats");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Registers workers and heartbeats them, counting only what the service acknowledged.</summary>
    private static async Task LoadAsync(HttpClient client, int loop, ConcurrentDictionary<string, string> registered,
        ConcurrentDictionary<string, int> acknowledged, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            try
            {
                var id = $"crash-{loop}-{n}";
                using var register = new HttpRequestMessage(HttpMethod.Post, "/workers") { Content = JsonContent.Create(new { id, region = "r", capacity = 1 }) };
                register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.RegistrationKey);
                using var response = await client.SendAsync(register, stop);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    continue;
                }

                var token = (await response.Content.ReadFromJsonAsync<JsonElement>(stop)).GetProperty("token").GetString()!;
                registered[id] = token;
                for (var beat = 0; beat < 3; beat++)
                {
                    using var heartbeat = new HttpRequestMessage(HttpMethod.Post, $"/workers/{id}/heartbeat");
                    heartbeat.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var answer = await client.SendAsync(heartbeat, stop);
                    if (answer.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.AddOrUpdate(id, 1, (_, count) => count + 1);
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
            {
                // The service died under this request: it was never acknowledged, so it is not counted.
            }
        }
    }

    private static async Task<Dictionary<string, long>> StoredHeartbeatsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, heartbeats_recorded FROM workers", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = reader.GetInt64(1);
        }

        return stored;
    }
}
