using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Every route against every kind of caller, the Quartz HTTP API included (readers read it, only admins
/// change anything through it). Worker "alpha" is the target; "beta" is another worker.</summary>
// Every case heartbeats worker "alpha": the per-worker rate limit is raised so the matrix measures rights, not rates.
// The matrix sends hundreds of refused credentials from one client: the failed-authentication limit is tested on its own.
public class AuthorizationMatrixTests() : ApiTestBase(new Dictionary<string, string?>
{
    ["WorkerFleet:Security:HeartbeatRateLimit"] = "100000",
    ["WorkerFleet:Security:FailedAuthenticationLimit"] = "100000",
})
{
    public enum Caller
    {
        Nobody,
        UnknownKey,
        OtherWorkersToken,
        OwnToken,
        RegistrationKey,
        ReaderKey,
        AdminKey,
    }

    private const int Ok = 200;
    private const int Created = 201;
    private const int NoContent = 204;
    private const int Unauthorized = 401;
    private const int Forbidden = 403;

    // Expected status per caller, in the order of the Caller enum.
    private static readonly (string Method, string Path, int[] Expected)[] Routes =
    [
        ("POST", "/workers", [Unauthorized, Unauthorized, Forbidden, Forbidden, Created, Forbidden, Created]),
        ("DELETE", "/workers/alpha", [Unauthorized, Unauthorized, Forbidden, NoContent, Forbidden, Forbidden, NoContent]),
        ("POST", "/workers/alpha/heartbeat", [Unauthorized, Unauthorized, Forbidden, Ok, Forbidden, Forbidden, Forbidden]),
        ("POST", "/workers/alpha/token", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        ("PUT", "/workers/alpha/status", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        ("PUT", "/workers/alpha/schedulable", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        ("POST", "/scheduler/run", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        ("GET", "/workers/alpha", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers/alpha/metadata", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers/alpha/heartbeats", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers/metadata", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers/active", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers/counts", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/workers/alpha/events", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/events", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/health", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/health/live", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/health/ready", [Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("GET", "/metrics", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/metrics/history", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/me", [Unauthorized, Unauthorized, Ok, Ok, Ok, Ok, Ok]),
        ("GET", $"{QuartzJobs}", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("GET", "/quartz-api/schedulers/QuartzScheduler/history/executions", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("POST", QuartzTriggerFetch, [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Ok]),
        ("POST", $"{QuartzJobs}/lifecycle/mark-stale-workers-offline/pause", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        ("POST", $"{QuartzJobs}/lifecycle/mark-stale-workers-offline/resume", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
        ("POST", $"{QuartzJobs}/lifecycle/activate-pending-workers/trigger", [Unauthorized, Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Ok]),
    ];

    private const string QuartzJobs = "/quartz-api/schedulers/QuartzScheduler/jobs";
    private const string QuartzTriggerFetch = "/quartz-api/schedulers/QuartzScheduler/triggers/fetch";

    private static IEnumerable<TestCaseData> Matrix() =>
        from route in Routes
        from caller in Enum.GetValues<Caller>()
        select new TestCaseData(route.Method, route.Path, caller, route.Expected[(int)caller])
            .SetName($"{route.Method} {route.Path} by {caller} answers {route.Expected[(int)caller]}");

    [TestCaseSource(nameof(Matrix))]
    public async Task Each_caller_gets_exactly_its_rights(string method, string path, Caller caller, int expected)
    {
        var tokens = await ArrangeFleetAsync();
        var before = await FleetSnapshot.TakeAsync(Api);
        using var anonymous = Api.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = BodyFor(method, path) };
        if (CredentialOf(caller, tokens) is { } credential)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        using var response = await anonymous.SendAsync(request);

        ((int)response.StatusCode).Should().Be(expected, await response.Content.ReadAsStringAsync());
        if (expected == Unauthorized)
        {
            response.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        }

        if (expected >= 400)
        {
            response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
            (await FleetSnapshot.TakeAsync(Api)).Should().Be(before, "a refused request changes nothing");
        }
    }

    [Test]
    public async Task A_storm_of_refused_requests_writes_no_log_line_at_information_or_above()
    {
        var tokens = await ArrangeFleetAsync();
        using var anonymous = Api.CreateClient();
        var logged = Api.Logs.Lines.Count;
        for (var i = 0; i < 20; i++)
        {
            foreach (var credential in new string?[] { null, "some-unknown-key-0123456789abcdefghijk", $"wft_guessed-token-{i}", tokens.Beta, WorkerFleetApi.ReaderKey })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/workers/alpha/heartbeat");
                if (credential is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
                }

                ((int)(await anonymous.SendAsync(request)).StatusCode).Should().BeOneOf(Unauthorized, Forbidden);
            }
        }

        Api.Logs.Lines.Skip(logged).Where(line => !line.StartsWith("Debug ", StringComparison.Ordinal) && !line.StartsWith("Trace ", StringComparison.Ordinal))
            .Should().BeEmpty("100 refused requests must not write 100 lines an operator has to read");
    }

    [Test]
    public async Task Problem_responses_never_echo_the_credential()
    {
        var tokens = await ArrangeFleetAsync();
        using var anonymous = Api.CreateClient();
        foreach (var credential in new[] { tokens.Beta, WorkerFleetApi.ReaderKey, "wft_not-a-real-token-at-all", "some-unknown-key-0123456789abcdefghijk" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/workers/alpha/heartbeat");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
            using var response = await anonymous.SendAsync(request);

            ((int)response.StatusCode).Should().BeOneOf(Unauthorized, Forbidden);
            (await response.Content.ReadAsStringAsync()).Should().NotContain(credential);
            response.Headers.ToString().Should().NotContain(credential);
        }
    }

    private async Task<(string Alpha, string Beta)> ArrangeFleetAsync()
    {
        var alpha = await Client.RegisterForTokenAsync("alpha");
        var beta = await Client.RegisterForTokenAsync("beta");
        (await Client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        return (alpha, beta);
    }

    private static string? CredentialOf(Caller caller, (string Alpha, string Beta) tokens) => caller switch
    {
        Caller.Nobody => null,
        Caller.UnknownKey => "an-unknown-key-that-is-long-enough-0123456789",
        Caller.OtherWorkersToken => tokens.Beta,
        Caller.OwnToken => tokens.Alpha,
        Caller.RegistrationKey => WorkerFleetApi.RegistrationKey,
        Caller.ReaderKey => WorkerFleetApi.ReaderKey,
        Caller.AdminKey => WorkerFleetApi.AdminKey,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };

    private static HttpContent? BodyFor(string method, string path) => (method, path) switch
    {
        ("POST", "/workers") => JsonContent.Create(new { id = "gamma", region = "us-east-1", capacity = 1 }),
        ("PUT", "/workers/alpha/schedulable") => new StringContent("""{"schedulable":false,"reason":"maintenance"}""", Encoding.UTF8, "application/json"),
        ("PUT", _) => new StringContent("""{"status":"Failed"}""", Encoding.UTF8, "application/json"),
        ("POST", QuartzTriggerFetch) => new StringContent("""[{"name":"activate-pending-workers","group":"lifecycle"}]""", Encoding.UTF8, "application/json"),
        _ => null,
    };
}
