using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Events.Queries;
using WorkerFleet.WebApi.Contracts;

namespace WorkerFleet.WebApi.Events;

/// <summary>Server-Sent Events from the journal (<see cref="EventFeed"/>): each event's <c>id:</c> is its sequence, so
/// a client that reconnects with <c>Last-Event-ID</c> resumes exactly after the last event it received. A comment goes
/// out when the stream has been silent for <see cref="KeepAliveInterval"/>, so proxies keep an idle connection open.
/// When storage stops answering, the stream ends and the client reconnects.</summary>
internal sealed class EventStream(EventPage first, int pageSize) : IResult
{
    /// <summary>How long the stream may stay silent.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    /// <summary>How long a client waits before reconnecting, sent as the stream's <c>retry:</c> field.</summary>
    private const int ReconnectMilliseconds = 1000;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var services = httpContext.RequestServices;
        var feed = services.GetRequiredService<EventFeed>();
        var time = services.GetRequiredService<TimeProvider>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var logger = services.GetRequiredService<ILogger<EventStream>>();
        var cancellationToken = httpContext.RequestAborted;

        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // Proxies that buffer (nginx) would hold events back until the buffer fills.
        response.Headers["X-Accel-Buffering"] = "no";
        var lastWrite = time.GetTimestamp();
        try
        {
            await WriteAsync(string.Create(CultureInfo.InvariantCulture, $"retry: {ReconnectMilliseconds}\n\n"));
            await SendAsync(first.Items);
            await foreach (var page in feed.FollowAsync(first.NextAfter, pageSize, cancellationToken))
            {
                if (page.Count > 0)
                {
                    await SendAsync(page);
                }
                else if (time.GetElapsedTime(lastWrite) >= KeepAliveInterval)
                {
                    await WriteAsync(": keep-alive\n\n");
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away, or the host is stopping: the stream simply ends.
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Storage failed mid-stream: the answer has begun, so it cannot become a problem response. Ending it makes
            // the client reconnect with Last-Event-ID, and it misses nothing.
            logger.LogWarning(exception, "An event stream ended because the journal could not be read");
        }

        async Task SendAsync(IReadOnlyList<WorkerEvent> events)
        {
            var text = new System.Text.StringBuilder();
            foreach (var e in events)
            {
                text.Append(CultureInfo.InvariantCulture, $"id: {e.Sequence}\nevent: {WorkerEvent.NameOf(e.Type)}\n")
                    .Append("data: ").Append(JsonSerializer.Serialize(EventResponse.Of(e), json)).Append("\n\n");
            }

            await WriteAsync(text.ToString());
        }

        async Task WriteAsync(string text)
        {
            await response.WriteAsync(text, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            lastWrite = time.GetTimestamp();
        }
    }
}
