using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The limits on what a caller can repeat besides heartbeats: registrations per key, and refused credentials
/// per client address. Each budget is the caller's own.</summary>
public class ThrottleTests
{
    private const string SecondRegistrationKey = "second-registration-key-0123456789abcdef01";

    [Test]
    public async Task Registrations_over_a_keys_rate_get_429_with_retry_after_store_nothing_and_leave_other_keys_their_budget()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Security:RegistrationKeys:1"] = SecondRegistrationKey,
            ["WorkerFleet:Security:RegistrationRateLimit"] = "2",
            ["WorkerFleet:Security:RegistrationRateWindow"] = "00:10:00",
        });
        using var client = api.CreateOperatorClient();
        (await client.RegisterAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.RegisterAsync("beta")).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await FleetSnapshot.TakeAsync(api);

        var limited = await client.RegisterAsync("gamma");

        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-registrations");
        limited.Headers.RetryAfter!.Delta.Should().BePositive();
        (await FleetSnapshot.TakeAsync(api)).Should().Be(before);
        using var register = new HttpRequestMessage(HttpMethod.Post, "/workers")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { id = "gamma", region = "us-east-1", capacity = 10 }),
        };
        register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SecondRegistrationKey);
        (await client.SendAsync(register)).StatusCode.Should().Be(HttpStatusCode.Created, "each key has a budget of its own");
    }

    [Test]
    public async Task A_client_over_its_refused_credential_limit_gets_429_for_unknown_credentials_and_another_client_does_not()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Security:FailedAuthenticationLimit"] = "3",
            ["WorkerFleet:Security:FailedAuthenticationWindow"] = "00:10:00",
        });
        var port = ListenOnASocket(api);
        using var guesser = ClientFrom("127.0.0.1", port);
        using var neighbour = ClientFrom("127.0.0.2", port);
        var registered = await (await Send(guesser, HttpMethod.Post, "/workers", WorkerFleetApi.RegistrationKey,
            System.Net.Http.Json.JsonContent.Create(new { id = "alpha", region = "us-east-1", capacity = 10 }))).ReadJsonAsync();
        var token = registered.GetProperty("token").GetString()!;

        foreach (var wrong in new[] { "not-a-key-of-this-service-0123456789abcdef", "wft_" + new string('A', 43), "wft_guessed" })
        {
            await (await Send(guesser, HttpMethod.Get, "/workers/alpha", wrong)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }

        var throttled = await Send(guesser, HttpMethod.Get, "/workers/alpha", "not-a-key-of-this-service-0123456789abcdef");

        await throttled.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-failed-authentications");
        throttled.Headers.RetryAfter!.Delta.Should().BePositive();
        // A token is not looked up for a client over its limit, not even a valid one.
        await (await Send(guesser, HttpMethod.Get, "/me", token)).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-failed-authentications");
        (await Send(guesser, HttpMethod.Get, "/workers/alpha", WorkerFleetApi.ReaderKey)).StatusCode.Should().Be(
            HttpStatusCode.OK, "a configured key costs no lookup, so a client over its limit may still use one");
        await (await Send(neighbour, HttpMethod.Get, "/workers/alpha", "not-a-key-of-this-service-0123456789abcdef"))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        (await Send(neighbour, HttpMethod.Get, "/me", token)).StatusCode.Should().Be(HttpStatusCode.OK, "one client's failures do not throttle another");
        api.Logs.Lines.Should().ContainSingle(line => line.StartsWith("Warning", StringComparison.Ordinal)
            && line.Contains("Client 127.0.0.1 reached the limit of refused credentials", StringComparison.Ordinal));
    }

    private static int ListenOnASocket(WorkerFleetApi api)
    {
        api.UseKestrel(0);
        api.StartServer();
        return new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/>: every 127.x address is this machine's
    /// loopback, so two clients on one machine are two client addresses to the service.</summary>
    private static HttpClient ClientFrom(string localAddress, int port) =>
        new(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string credential, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client.SendAsync(request);
    }
}
