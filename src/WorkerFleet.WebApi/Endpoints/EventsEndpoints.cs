using System.Globalization;
using MediatR;
using WorkerFleet.Application.Events.Queries;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Events;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>The journal of worker events: a worker's timeline, the fleet's events after a sequence, and the live stream.</summary>
internal static class EventsEndpoints
{
    /// <summary>Events per page of the stream while it catches up.</summary>
    private const int StreamPageSize = 500;

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        app.MapGet("/workers/{id}/events", WorkerTimeline)
            .WithTags("Events")
            .WithSummary("A worker's timeline of events, newest first")
            .WithDescription("Pages with limit (1–1000, default 100) and the nextCursor of the previous page. Still readable after the worker unregistered, until retention removes the events; 404 for an id with no events and no worker.")
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<EventResponse>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        var events = app.MapGroup("/events").WithTags("Events").RequireAuthorization(Policies.Read);
        events.MapGet("/", List)
            .WithSummary("The fleet's events after a sequence, oldest first")
            .WithDescription("Start from after=0 and pass each page's nextAfter back as after until items is empty. Sequences become visible in order, so a consumer that reads after the last sequence it has never skips an event. 410 events-expired when retention has deleted events after that sequence: the problem names the sequence to read on after.")
            .Produces<EventPageResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone);
        events.MapGet("/stream", Stream)
            .WithSummary("The fleet's events as Server-Sent Events, live")
            .WithDescription("Sends every event after ?after= (default 0), then each new one as it commits on any instance. Each event's id: is its sequence, event: its type, data: its JSON (as GET /events). A client that reconnects with Last-Event-ID resumes right after that event; the header wins over ?after=. A ': keep-alive' comment goes out after 15 silent seconds. 429 too-many-streams when the credential already holds as many open streams as it may.")
            .WithMetadata(LongLivedStream.Instance)
            .RequireRateLimiting(Policies.Streams)
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<IResult> WorkerTimeline(string id, int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorkerEvents(id, limit, cursor), cancellationToken))
            .ToHttp(page => TypedResults.Ok(new PageResponse<EventResponse>([.. page.Items.Select(EventResponse.Of)], page.NextCursor)));

    private static async Task<IResult> List(long? after, int? limit, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetEvents(after, limit), cancellationToken)).ToHttp(page => TypedResults.Ok(EventPageResponse.From(page)));

    /// <summary>Resumes after <c>Last-Event-ID</c> when the client sends it (a reconnect), else after <c>?after=</c>,
    /// else from the start of the journal.</summary>
    private static async Task<IResult> Stream(long? after, HttpRequest request, IMediator mediator, CancellationToken cancellationToken)
    {
        var lastEventId = request.Headers["Last-Event-ID"].ToString();
        if (lastEventId.Length > 0)
        {
            if (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var resumed))
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["Last-Event-ID"] = ["Last-Event-ID must be the id of an event this stream sent."] },
                    title: "Invalid request", type: WorkerProblems.TypePrefix + "invalid-configuration");
            }

            after = resumed;
        }

        return (await mediator.Send(new GetEvents(after, StreamPageSize), cancellationToken))
            .ToHttp(first => new EventStream(first, StreamPageSize));
    }
}
