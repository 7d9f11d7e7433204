using MediatR;
using Microsoft.AspNetCore.Mvc;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;

using WorkerFleet.WebApi.Telemetry;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>The /workers routes: registration, heartbeats, status changes and reads.</summary>
internal static class WorkersEndpoints
{
    public static IEndpointRouteBuilder MapWorkers(this IEndpointRouteBuilder app)
    {
        var workers = app.MapGroup("/workers").WithTags("Workers");

        workers.MapPost("/", Register)
            .WithSummary("Register a worker")
            .WithDescription("Registers a worker as Pending with a registration (or admin) key, and returns it with its token, shown this once: the worker heartbeats and unregisters itself with it. 409 when the id is registered; 429 with Retry-After over the key's registration rate.")
            .RequireAuthorization(Policies.Register)
            .WithMetadata(RateBudget.Registrations)
            .Produces<RegisteredWorkerResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        workers.MapGet("/", List)
            .WithSummary("List or select workers")
            .WithDescription("A page of workers ordered by id. Every filter given narrows it: status, idPrefix (case-sensitive), region, capability (repeatable; the worker has every one), minCapacity and schedulable. Pass nextCursor back as cursor, with the same filters, for the next page.")
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<WorkerResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/active", ListActive)
            .WithSummary("List Active workers")
            .WithDescription("The same as GET /workers?status=active.")
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<WorkerResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/metadata", ListMetadata)
            .WithSummary("List workers with their heartbeat facts")
            .WithDescription("A page of workers, each with its last heartbeat and the number of heartbeats it holds, optionally of one status.")
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<WorkerMetadataResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/counts", Counts)
            .WithSummary("Count workers by status")
            .WithDescription("The number of workers in each status, counted by one statement: one consistent snapshot.")
            .RequireAuthorization(Policies.Read)
            .Produces<WorkerCountsResponse>();
        workers.MapGet("/{id}", Get)
            .WithSummary("Read a worker")
            .WithDescription("The worker, with its configuration, status, schedulable flag and last heartbeat.")
            .RequireAuthorization(Policies.Read)
            .Produces<WorkerResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapDelete("/{id}", Unregister)
            .WithSummary("Unregister a worker")
            .WithDescription("Removes the worker and its heartbeat history, with an admin key or the worker's own token. Its events stay in the journal until retention removes them.")
            .RequireAuthorization(Policies.OperatorOrWorkerItself)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPost("/{id}/heartbeat", Heartbeat)
            .WithSummary("Send a heartbeat")
            .WithDescription("Records the service's time as the worker's heartbeat, with the worker's own token; it never changes the status. The answer says when to send the next one (nextHeartbeatInSeconds). 429 with Retry-After over the per-worker rate.")
            .WithMetadata(TokenCheckedByWrite.Instance, HeartbeatOutcomeMeter.Marker, RateBudget.Heartbeats)
            .RequireAuthorization(Policies.WorkerItself)
            .Produces<HeartbeatResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        workers.MapPost("/{id}/token", RotateToken)
            .WithSummary("Rotate a worker's token")
            .WithDescription("Issues the worker a new token, shown this once; the old one stops working at once, on every instance.")
            .RequireAuthorization(Policies.Operate)
            .Produces<WorkerTokenResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapGet("/{id}/metadata", GetMetadata)
            .WithSummary("Read a worker with its heartbeat facts")
            .WithDescription("The worker, its last heartbeat and the number of heartbeats it holds.")
            .RequireAuthorization(Policies.Read)
            .Produces<WorkerMetadataResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapGet("/{id}/heartbeats", History)
            .WithSummary("Read a worker's heartbeat history")
            .WithDescription("The worker's latest heartbeats, newest first, up to limit (and the configured history size).")
            .RequireAuthorization(Policies.Read)
            .Produces<HeartbeatHistoryResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPut("/{id}/status", UpdateStatus)
            .WithSummary("Change a worker's status")
            .WithDescription("An operator's change: only Failed may be set, and Failed is final. With expectedStatus the change applies only while the worker is still in that status (409 otherwise).")
            .RequireAuthorization(Policies.Operate)
            .Produces<WorkerResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        workers.MapPut("/{id}/schedulable", SetSchedulable)
            .WithSummary("Cordon or uncordon a worker")
            .WithDescription("schedulable false takes the worker out of selections that ask for schedulable workers without failing it; true returns it. Its heartbeats and the lifecycle jobs go on as before. The change is journaled with the reason.")
            .RequireAuthorization(Policies.Operate)
            .Produces<WorkerResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> Register(
        RegisterWorkerRequest body, IMediator mediator, WorkerTokenCache tokens, CancellationToken cancellationToken) =>
        (await mediator.Send(body.ToCommand(), cancellationToken)).ToHttp(registered =>
        {
            // A new worker's next request is usually its first heartbeat: it need not cost a token lookup.
            tokens.Remember(registered.Worker.TokenHash!, registered.Worker.Id.Value);
            return TypedResults.Created($"/workers/{registered.Worker.Id}", RegisteredWorkerResponse.From(registered));
        });

    private static async Task<IResult> List(
        string? status, string? idPrefix, string? region, [FromQuery(Name = "capability")] string[]? capabilities, int? minCapacity,
        bool? schedulable, int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(
            new ListWorkers
            {
                Status = status, IdPrefix = idPrefix, Region = region, Capabilities = capabilities ?? [], MinCapacity = minCapacity,
                Schedulable = schedulable, Limit = limit, Cursor = cursor,
            },
            cancellationToken)).ToHttp(WorkerPage);

    private static async Task<IResult> ListActive(int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new ListWorkers { Status = nameof(WorkerStatus.Active), Limit = limit, Cursor = cursor }, cancellationToken))
        .ToHttp(WorkerPage);

    private static async Task<IResult> ListMetadata(string? status, int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorkersWithMetadata(status, limit, cursor), cancellationToken))
            .ToHttp(page => TypedResults.Ok(new PageResponse<WorkerMetadataResponse>(
                page.Items.Select(WorkerMetadataResponse.From).ToList(), page.NextCursor)));

    private static async Task<IResult> Counts(IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorkerCounts(), cancellationToken)).ToHttp(counts => TypedResults.Ok(WorkerCountsResponse.From(counts)));

    private static async Task<IResult> Get(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorker(id), cancellationToken)).ToHttp(worker => TypedResults.Ok(WorkerResponse.From(worker)));

    private static async Task<IResult> Unregister(string id, HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        // An operator removes any worker; a worker removes itself only with the token it holds right now.
        var token = http.User.IsInRole(Roles.Admin) ? null : CredentialAuthenticationHandler.BearerOf(http.Request);
        return (await mediator.Send(new UnregisterWorker(id, token), cancellationToken)).ToHttp(_ => TypedResults.NoContent());
    }

    private static async Task<IResult> Heartbeat(
        string id, HttpContext http, IMediator mediator, WorkerTokenCache tokens, CancellationToken cancellationToken)
    {
        var token = CredentialAuthenticationHandler.BearerOf(http.Request)!;
        var recorded = await mediator.Send(new RecordHeartbeat(id, token), cancellationToken);
        if (recorded.Error is InvalidWorkerToken or WorkerNotFound)
        {
            // Authentication found the token current (perhaps in the cache); the write, which is the authority, found
            // it rotated out or its worker gone. The answer is the one a fresh lookup would give: not a valid credential.
            tokens.Forget(WorkerToken.HashOf(token));
            return TypedResults.Challenge();
        }

        return recorded.ToHttp(receipt => TypedResults.Ok(HeartbeatResponse.From(receipt)));
    }

    private static async Task<IResult> RotateToken(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RotateWorkerToken(id), cancellationToken)).ToHttp(issued => TypedResults.Ok(WorkerTokenResponse.From(issued)));

    private static async Task<IResult> GetMetadata(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorkerMetadata(id), cancellationToken))
            .ToHttp(metadata => TypedResults.Ok(WorkerMetadataResponse.From(metadata)));

    private static async Task<IResult> History(string id, int? limit, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetHeartbeatHistory(id, limit), cancellationToken))
            .ToHttp(history => TypedResults.Ok(HeartbeatHistoryResponse.From(history)));

    private static async Task<IResult> UpdateStatus(string id, UpdateWorkerStatusRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UpdateWorkerStatus(id, body.Status, body.ExpectedStatus), cancellationToken))
            .ToHttp(worker => TypedResults.Ok(WorkerResponse.From(worker)));

    private static async Task<IResult> SetSchedulable(string id, SetSchedulableRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new SetWorkerSchedulable(id, body.Schedulable, body.Reason), cancellationToken))
            .ToHttp(worker => TypedResults.Ok(WorkerResponse.From(worker)));

    private static IResult WorkerPage(Page<Worker> page) =>
        TypedResults.Ok(new PageResponse<WorkerResponse>(page.Items.Select(WorkerResponse.From).ToList(), page.NextCursor));
}
