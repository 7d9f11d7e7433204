using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The journal over HTTP: each change names the credential that made it, pages read it, and the stream follows it.</summary>
public class EventsApiTests : ApiTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_workers_timeline_names_the_key_or_the_worker_behind_each_change()
    {
        var token = (await (await Client.RegisterAsync("alpha")).ReadJsonAsync()).GetProperty("token").GetString()!;
        var failedAt = Api.Clock.GetUtcNow().UtcDateTime;
        (await Client.PutAsJsonAsync("/workers/alpha/status", new { status = "Failed" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var unregister = new HttpRequestMessage(HttpMethod.Delete, "/workers/alpha");
        unregister.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await Client.SendAsync(unregister)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var timeline = await (await Client.GetAsync("/workers/alpha/events")).ReadJsonAsync();

        var items = timeline.GetProperty("items").EnumerateArray().ToList();
        items.Select(e => (Type(e), Text(e, "actor"))).Should().Equal(
            ("unregistered", "worker alpha"), ("status-changed", WorkerFleetApi.AdminName), ("registered", WorkerFleetApi.RegistrationName));
        var failed = items[1];
        Text(failed, "from").Should().Be("Pending");
        Text(failed, "to").Should().Be("Failed");
        Text(failed, "trigger").Should().Be("operator");
        Text(failed, "reason").Should().Be($"Set to Failed by {WorkerFleetApi.AdminName}.");
        failed.GetProperty("at").GetDateTime().Should().Be(failedAt);
        items.Select(e => e.GetProperty("sequence").GetInt64()).Should().BeInDescendingOrder();
        timeline.GetProperty("nextCursor").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public async Task The_fleets_events_read_as_pages_after_a_sequence()
    {
        foreach (var id in new[] { "a", "b", "c" })
        {
            await Client.RegisterAsync(id);
        }

        var first = await (await Client.GetAsync("/events?limit=2")).ReadJsonAsync();
        var next = first.GetProperty("nextAfter").GetInt64();
        var second = await (await Client.GetAsync($"/events?after={next}&limit=2")).ReadJsonAsync();

        first.GetProperty("items").EnumerateArray().Select(e => Text(e, "workerId")).Should().Equal("a", "b");
        second.GetProperty("items").EnumerateArray().Select(e => Text(e, "workerId")).Should().Equal("c");
        second.GetProperty("nextAfter").GetInt64().Should().Be(second.GetProperty("items")[0].GetProperty("sequence").GetInt64());
    }

    [TestCase("/events?after=-1")]
    [TestCase("/events?limit=0")]
    [TestCase("/events?after=abc")]
    [TestCase("/workers/alpha/events?cursor=nope")]
    [TestCase("/events/stream?after=-5")]
    public async Task Bad_journal_queries_are_refused_with_a_problem(string path)
    {
        await Client.RegisterAsync("alpha");

        using var response = await Client.GetAsync(path);

        ((int)response.StatusCode).Should().Be(400);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Test]
    public async Task A_reader_behind_retention_gets_gone_with_the_sequence_to_read_on_after()
    {
        await Client.RegisterAsync("old");
        await Client.RegisterAsync("older");
        var seen = (await (await Client.GetAsync("/events?limit=1")).ReadJsonAsync()).GetProperty("nextAfter").GetInt64();
        Api.Clock.Advance(TimeSpan.FromDays(8));
        await Client.RegisterAsync("new");
        await using (var scope = Api.Services.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(new Application.Events.Commands.DeleteExpiredEvents()))
                .Value.Should().Be(2);
        }

        var gone = await (await Client.GetAsync($"/events?after={seen}")).ShouldBeProblemAsync(HttpStatusCode.Gone, "events-expired");
        using var stream = await Client.GetAsync($"/events/stream?after={seen}", HttpCompletionOption.ResponseHeadersRead);
        await stream.ShouldBeProblemAsync(HttpStatusCode.Gone, "events-expired");

        gone.GetProperty("detail").GetString().Should().Contain("read on after");
    }

    [Test]
    public async Task The_timeline_of_an_unknown_worker_is_not_found()
    {
        await (await Client.GetAsync("/workers/ghost/events")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");
    }

    [Test]
    public async Task The_stream_sends_the_journal_then_each_new_event_and_resumes_after_the_last_event_id()
    {
        await Client.RegisterAsync("a");
        await Client.RegisterAsync("b");
        using var timeout = new CancellationTokenSource(Patience);
        string lastId;
        using (var stream = await OpenStreamAsync(lastEventId: null, timeout.Token))
        {
            stream.Response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            var a = await stream.Reader.NextAsync(timeout.Token);
            var b = await stream.Reader.NextAsync(timeout.Token);
            (await Client.RegisterAsync("c")).StatusCode.Should().Be(HttpStatusCode.Created);
            var c = await stream.Reader.NextAsync(timeout.Token);

            new[] { a, b, c }.Select(e => WorkerOf(e!)).Should().Equal("a", "b", "c");
            a!.Type.Should().Be("registered");
            JsonDocument.Parse(a.Data).RootElement.GetProperty("sequence").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)
                .Should().Be(a.Id);
            lastId = b!.Id!;
        }

        await Client.RegisterAsync("d");
        using var resumed = await OpenStreamAsync(lastId, timeout.Token);
        var afterB = await resumed.Reader.NextAsync(timeout.Token);
        var next = await resumed.Reader.NextAsync(timeout.Token);

        new[] { afterB, next }.Select(e => WorkerOf(e!)).Should().Equal(["c", "d"], "the stream resumes right after the last event id it was given");
    }

    [Test]
    public async Task A_silent_stream_sends_a_keep_alive_comment()
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var stream = await OpenStreamAsync(lastEventId: null, timeout.Token);
        var first = stream.Reader.NextAsync(timeout.Token);

        while (stream.Reader.Comments.Count == 0 && !first.IsCompleted && !timeout.IsCancellationRequested)
        {
            // The stream polls on the service's clock: move it past the keep-alive interval, a poll at a time.
            Api.Clock.Advance(TimeSpan.FromSeconds(16));
            await Task.WhenAny(first, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }

        stream.Reader.Comments.Should().Contain(": keep-alive");
    }

    [Test]
    public async Task A_last_event_id_that_is_not_a_sequence_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events/stream");
        request.Headers.Add("Last-Event-ID", "yesterday");

        using var response = await Client.SendAsync(request);

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-configuration"))
            .GetProperty("errors").GetProperty("Last-Event-ID").GetArrayLength().Should().Be(1);
    }

    [Test]
    public async Task Only_readers_and_admins_may_follow_the_stream()
    {
        using var anonymous = Api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events/stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WorkerFleetApi.RegistrationKey);

        using var response = await anonymous.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private async Task<OpenStream> OpenStreamAsync(string? lastEventId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/events/stream");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return new OpenStream(request, response, new EventStreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    private static string WorkerOf(ServerSentEvent e) => Text(JsonDocument.Parse(e.Data).RootElement, "workerId");

    private static string Type(JsonElement e) => Text(e, "type");

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;

    private sealed record OpenStream(HttpRequestMessage Request, HttpResponseMessage Response, EventStreamReader Reader) : IDisposable
    {
        public void Dispose()
        {
            Reader.Dispose();
            Response.Dispose();
            Request.Dispose();
        }
    }
}
