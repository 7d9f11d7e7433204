using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.WebApi.FunctionalTests.Fuzzing;

/// <summary>Generated request sequences over every public route, each run in lockstep against the service on SQLite
/// and on PostgreSQL, both on the same fake clock. On each provider: never a 5xx; every 4xx is a problem whose
/// status matches; no answer holds a credential; a refused request changes nothing; an accepted registration reads
/// back as sent. Across providers: the same statuses and the same bodies. CI runs the same sequences every time,
/// drawn from a fixed seed; a failing sequence loses its steps one by one while the rest still fails, and the
/// smallest is printed with the seed that reproduces it. <c>build/fuzz.sh</c> draws more, from a random seed.</summary>
[NonParallelizable]
public class FuzzPropertyTests
{
    /// <summary>The seed CI's sequences are drawn from. WORKERFLEET_FUZZ_FROM draws from another,
    /// WORKERFLEET_FUZZ_SEQUENCES draws that many, and WORKERFLEET_FUZZ_SEED runs the one sequence a failure named
    /// (build/fuzz.sh sets them).</summary>
    private const ulong CiSeed = 20261203;

    private const int CiSequences = 150;


    private TestDatabase _database = null!;
    private Side _sqlite = null!;
    private Side _postgres = null!;

    [OneTimeSetUp]
    public async Task StartBothServices()
    {
        _database = await TestDatabase.CreateAsync("fuzz");
        _sqlite = new Side("SQLite", new WorkerFleetApi(Settings()));
        _postgres = new Side("PostgreSQL", new WorkerFleetApi(Settings(new()
        {
            ["WorkerFleet:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:WorkerFleet"] = _database.ConnectionString,
        })));
    }

    [OneTimeTearDown]
    public async Task StopBothServices()
    {
        // Null when the set-up failed before starting them.
        _sqlite?.Dispose();
        _postgres?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task Every_route_answers_generated_requests_alike_on_both_providers_without_a_5xx_or_a_change_by_a_refused_request()
    {
        if (Environment.GetEnvironmentVariable("WORKERFLEET_FUZZ_SEED") is { Length: > 0 } seed)
        {
            await RunOrShrinkAsync(seed);
            return;
        }

        var sequences = int.TryParse(Environment.GetEnvironmentVariable("WORKERFLEET_FUZZ_SEQUENCES"), out var count) ? count : CiSequences;
        var seeds = new PCG(0, ulong.TryParse(Environment.GetEnvironmentVariable("WORKERFLEET_FUZZ_FROM"), out var from) ? from : CiSeed);
        for (var i = 0; i < sequences; i++)
        {
            await RunOrShrinkAsync(new PCG(seeds.Next(), seeds.Next64()).ToString());
        }
    }

    /// <summary>Runs the sequence of <paramref name="seed"/>; when it fails, drops its steps one by one while what is
    /// left still fails, and fails with that smallest sequence, its failure and the seed.</summary>
    private async Task RunOrShrinkAsync(string seed)
    {
        var sequence = FuzzRequests.Sequence.Generate(PCG.Parse(seed), null, out _);
        if (await FailureOfAsync(sequence) is null)
        {
            return;
        }

        for (var step = sequence.Length - 1; step >= 0 && sequence.Length > 1; step--)
        {
            var shorter = sequence.Where((_, i) => i != step).ToArray();
            if (await FailureOfAsync(shorter) is not null)
            {
                sequence = shorter;
            }
        }

        Assert.Fail($"""
            The sequence of seed {seed} fails (WORKERFLEET_FUZZ_SEED={seed} runs it again); the smallest part of it that still fails:
            {Print(sequence)}
            {(await FailureOfAsync(sequence))?.Message}
            """);
    }

    private async Task<Exception?> FailureOfAsync(FuzzRequest[] sequence)
    {
        try
        {
            await RunAsync(sequence);
            return null;
        }
        catch (AssertionException failure)
        {
            return failure;
        }
    }

    private async Task RunAsync(FuzzRequest[] sequence)
    {
        await Task.WhenAll(_sqlite.StartSequenceAsync(), _postgres.StartSequenceAsync());
        for (var step = 0; step < sequence.Length; step++)
        {
            var request = sequence[step];
            var (onSqlite, onPostgres) = (await _sqlite.SendAsync(request), await _postgres.SendAsync(request));
            var at = $"step {step + 1}, {request}";
            onPostgres.Status.Should().Be(onSqlite.Status,
                "both providers answer {0} alike; SQLite said {1}, PostgreSQL said {2}", at, onSqlite.Body, onPostgres.Body);
            if (Comparable(request))
            {
                onPostgres.Normalized.Should().Be(onSqlite.Normalized, "both providers answer {0} with the same body", at);
            }
        }
    }

    private static string Print(FuzzRequest[] sequence) => string.Join(Environment.NewLine, sequence.Select((r, i) => $"  {i + 1}. {r}"));

    // The health checks and the scheduler's own state (instance ids, fire times, run durations) are each instance's,
    // not the fleet's: they differ by nature. Their statuses are still compared.
    private static bool Comparable(FuzzRequest request) =>
        !request.Path.StartsWith("/health", StringComparison.Ordinal) && !request.Path.StartsWith("/quartz-api", StringComparison.Ordinal);

    private static Dictionary<string, string?> Settings(Dictionary<string, string?>? more = null)
    {
        // The limiters count on the wall clock, which the two services do not share: they are tested on their own.
        var settings = new Dictionary<string, string?>
        {
            ["WorkerFleet:Security:HeartbeatRateLimit"] = "1000000",
            ["WorkerFleet:Security:RegistrationRateLimit"] = "1000000",
            ["WorkerFleet:Security:FailedAuthenticationLimit"] = "1000000",
        };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>One service under test, with the tokens of its seeded workers and the properties each answer must hold.</summary>
    private sealed class Side(string name, WorkerFleetApi api) : IDisposable
    {
        private static readonly string[] Keys = [WorkerFleetApi.AdminKey, WorkerFleetApi.ReaderKey, WorkerFleetApi.RegistrationKey];

        private readonly HttpClient _client = ListenOnASocket(api);
        private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

        /// <summary>Empties the fleet and the journal, restarts the journal's sequence so both sides number events
        /// alike, moves the clock on a minute and registers the seeded workers, each with one heartbeat.</summary>
        public async Task StartSequenceAsync()
        {
            await api.ResetAsync();
            await using (var scope = api.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
                await db.Database.ExecuteSqlRawAsync(db.Database.IsNpgsql()
                    ? "ALTER TABLE worker_events ALTER COLUMN sequence RESTART WITH 1"
                    : "DELETE FROM sqlite_sequence WHERE name = 'worker_events'");
            }

            api.Clock.Advance(TimeSpan.FromMinutes(1));
            _tokens.Clear();
            foreach (var id in FuzzRequests.SeededIds)
            {
                using var register = new HttpRequestMessage(HttpMethod.Post, "/workers")
                {
                    Content = new StringContent($$"""{"id":"{{id}}","region":"eu-west-1","capacity":8,"capabilities":["compute"]}""", Encoding.UTF8, "application/json"),
                    Headers = { Authorization = new("Bearer", WorkerFleetApi.RegistrationKey) },
                };
                using var registered = await _client.SendAsync(register);
                registered.StatusCode.Should().Be(HttpStatusCode.Created, "{0} registers the seeded worker {1}", name, id);
                _tokens[id] = (await registered.ReadJsonAsync()).GetProperty("token").GetString()!;
                using var heartbeat = new HttpRequestMessage(HttpMethod.Post, $"/workers/{id}/heartbeat") { Headers = { Authorization = new("Bearer", _tokens[id]) } };
                (await _client.SendAsync(heartbeat)).StatusCode.Should().Be(HttpStatusCode.OK);
            }
        }

        /// <summary>Sends the request and checks the properties that hold on one provider.</summary>
        public async Task<Answer> SendAsync(FuzzRequest request)
        {
            var credential = CredentialOf(request);
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
            if (request.Caller == Caller.NotBearer)
            {
                message.Headers.TryAddWithoutValidation("Authorization", "Basic YWRtaW46YWRtaW4=");
            }
            else if (credential is not null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", $"Bearer {credential}");
            }

            if (request.Body is not null)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
                if (request.ContentType is not null)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
                }
            }

            var before = await FleetSnapshot.TakeAsync(api);
            using var response = await _client.SendAsync(message);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            var on = $"{name}: {request.Method} {request.Path[..Math.Min(request.Path.Length, 300)]} answered {status} {body[..Math.Min(body.Length, 500)]}";

            status.Should().BeLessThan(500, on);
            if (status >= 400)
            {
                if (!RefusedByKestrel(response, body))
                {
                    response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json", on);
                    JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32().Should().Be(status, on);
                }

                (await FleetSnapshot.TakeAsync(api)).Should().Be(before, "a refused request changes nothing ({0})", on);
            }

            foreach (var secret in Keys.Append(credential).OfType<string>().Where(s => s.Length >= 16))
            {
                body.Should().NotContain(secret, "no answer holds a credential ({0})", on);
            }

            if (status == (int)HttpStatusCode.Created && request is { Method: "POST", Path: "/workers" })
            {
                await ReadsBackAsSentAsync(request.Body!, on);
            }

            return new Answer(status, body, Normalize(body));
        }

        public void Dispose()
        {
            _client.Dispose();
            api.Dispose();
        }

        // A real socket: the in-memory transport refuses some paths (a NUL) before the service sees them.
        private static HttpClient ListenOnASocket(WorkerFleetApi api)
        {
            api.UseKestrel(0);
            api.StartServer();
            var address = api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new HttpClient { BaseAddress = new Uri(address) };
        }

        // A request Kestrel cannot parse or will not take (a NUL in the path, a request line or headers over its
        // limits) is answered by Kestrel itself before any middleware runs: an empty 400, 414 or 431 that closes the
        // connection. The refusal still changes nothing.
        private static bool RefusedByKestrel(HttpResponseMessage response, string body) =>
            response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong or HttpStatusCode.RequestHeaderFieldsTooLarge
            && body.Length == 0
            && response.Headers.ConnectionClose == true;

        private string? CredentialOf(FuzzRequest request) => request.Caller switch
        {
            Caller.Admin => WorkerFleetApi.AdminKey,
            Caller.Reader => WorkerFleetApi.ReaderKey,
            Caller.Registrar => WorkerFleetApi.RegistrationKey,
            Caller.TokenOfThePathsWorker => _tokens[request.TokenOwner],
            Caller.TokenOfAnotherWorker => _tokens[FuzzRequests.SeededIds.First(id => id != request.TokenOwner)],
            Caller.UnknownKey => "not-a-key-of-this-service-0123456789abcdef",
            Caller.GuessedToken => "wft_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            _ => null,
        };

        private async Task ReadsBackAsSentAsync(string body, string on)
        {
            // Field names bind whatever their case, as ASP.NET Core's JSON does: "ID" is the id.
            var sent = JsonNode.Parse(body, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!.AsObject();
            var id = sent["id"]!.GetValue<string>();
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/workers/{Uri.EscapeDataString(id)}") { Headers = { Authorization = new("Bearer", WorkerFleetApi.AdminKey) } };
            using var response = await _client.SendAsync(read);
            response.StatusCode.Should().Be(HttpStatusCode.OK, on);
            var worker = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            foreach (var field in new[] { "id", "region", "capacity" })
            {
                JsonNode.DeepEquals(worker[field], sent[field]).Should().BeTrue("{0} reads back as sent: {1} was {2}, is {3}", id, field, sent[field], worker[field]);
            }

            JsonNode.DeepEquals(worker["capabilities"], sent["capabilities"] ?? new JsonArray()).Should().BeTrue(
                "{0}'s capabilities read back as sent: {1}, read {2} ({3})", id, sent["capabilities"], worker["capabilities"], on);
            JsonNode.DeepEquals(worker["metadata"], sent["metadata"] ?? new JsonObject()).Should().BeTrue(
                "{0}'s metadata reads back as sent: {1}, read {2} ({3})", id, sent["metadata"], worker["metadata"], on);
        }

        /// <summary>The body without what differs between two services by design: tokens, trace ids and the
        /// jittered heartbeat pace.</summary>
        private static string Normalize(string body)
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                return body;
            }

            Strip(node);
            return node?.ToJsonString() ?? "";
        }

        private static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    obj.Remove("token");
                    obj.Remove("traceId");
                    obj.Remove("nextHeartbeatInSeconds");
                    foreach (var (_, child) in obj)
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    private sealed record Answer(int Status, string Body, string Normalized);
}
