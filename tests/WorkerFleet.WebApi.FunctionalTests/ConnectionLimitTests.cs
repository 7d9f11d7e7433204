using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>What bounds the connections a service holds: Kestrel's connection limits, set in the shipped settings, and
/// a cap per caller on the streams that stay open.</summary>
public class ConnectionLimitTests
{
    [Test]
    public void The_shipped_settings_cap_connections()
    {
        using var api = new WorkerFleetApi();
        api.UseKestrel(0);
        api.StartServer();

        var limits = api.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        limits.MaxConcurrentConnections.Should().Be(100_000);
        limits.MaxConcurrentUpgradedConnections.Should().Be(100);
    }

    [Test]
    public async Task A_connection_over_kestrels_limit_is_closed_unanswered_and_one_that_closes_makes_room()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?> { ["Kestrel:Limits:MaxConcurrentConnections"] = "2" });
        api.UseKestrel(0);
        api.StartServer();
        var address = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var first = OneConnection(address);
        using var second = OneConnection(address);
        (await first.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await second.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);

        using (var third = OneConnection(address))
        {
            await third.Invoking(c => c.GetAsync("/health/live")).Should().ThrowAsync<HttpRequestException>();
        }

        first.Dispose();
        (await AnswerOnceRoomIsMadeAsync(address)).Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_caller_holding_its_most_streams_gets_429_for_one_more_while_another_caller_and_a_closed_stream_make_room()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?> { ["WorkerFleet:Security:MaxStreamsPerCaller"] = "2" });
        using var reader = ClientWith(api, WorkerFleetApi.ReaderKey);
        using var admin = ClientWith(api, WorkerFleetApi.AdminKey);
        var quartzStream = QuartzEventStreamPath(api);

        var events = await reader.GetAsync("/events/stream", HttpCompletionOption.ResponseHeadersRead);
        using var scheduler = await reader.GetAsync(quartzStream, HttpCompletionOption.ResponseHeadersRead);
        events.StatusCode.Should().Be(HttpStatusCode.OK);
        scheduler.StatusCode.Should().Be(HttpStatusCode.OK);

        using (var refused = await reader.GetAsync("/events/stream", HttpCompletionOption.ResponseHeadersRead))
        {
            await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-streams");
            refused.Headers.RetryAfter!.Delta.Should().BePositive();
        }

        using var refusedScheduler = await reader.GetAsync(quartzStream, HttpCompletionOption.ResponseHeadersRead);
        refusedScheduler.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "both kinds of stream count against one cap");
        (await reader.GetAsync("/workers/counts")).StatusCode.Should().Be(HttpStatusCode.OK, "only streams are capped");
        using var adminStream = await admin.GetAsync("/events/stream", HttpCompletionOption.ResponseHeadersRead);
        adminStream.StatusCode.Should().Be(HttpStatusCode.OK, "each caller has a cap of its own");

        events.Dispose();
        using var reopened = await ReopenedAsync(reader);
        reopened.StatusCode.Should().Be(HttpStatusCode.OK, "a closed stream gives its place back");
    }

    private static HttpClient OneConnection(Uri address) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = address };

    private static HttpClient ClientWith(WorkerFleetApi api, string key)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    // The Quartz API names its routes; the scheduler's name is the one the service configures.
    private static string QuartzEventStreamPath(WorkerFleetApi api) =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == LongLivedStream.QuartzEndpointName)
            .RoutePattern.RawText!.Replace(RouteParameter, "QuartzScheduler", StringComparison.Ordinal);

    private static string RouteParameter => "{schedulerName}";

    // Kestrel and the rate limiter let go of a closed connection or stream as soon as they see it closed, which is
    // shortly after the client closes it: ask a bounded number of times.
    private static async Task<HttpStatusCode> AnswerOnceRoomIsMadeAsync(Uri address)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var client = OneConnection(address);
            try
            {
                return (await client.GetAsync("/health/live")).StatusCode;
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<HttpResponseMessage> ReopenedAsync(HttpClient reader)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await reader.GetAsync("/events/stream", HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt == 50)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }
}
