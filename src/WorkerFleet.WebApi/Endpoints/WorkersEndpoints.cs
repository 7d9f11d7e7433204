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
            .RequireAuthorization(Policies.Register)
            .Produces<RegisteredWorkerResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        workers.MapGet("/", List)
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<WorkerResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/active", ListActive)
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<WorkerResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/metadata", ListMetadata)
            .RequireAuthorization(Policies.Read)
            .Produces<PageResponse<WorkerMetadataResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/counts", Counts)
            .RequireAuthorization(Policies.Read)
            .Produces<WorkerCountsResponse>();
        workers.MapGet("/{id}", Get)
            .RequireAuthorization(Policies.Read)
            .Produces<WorkerResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapDelete("/{id}", Unregister)
            .RequireAuthorization(Policies.OperatorOrWorkerItself)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPost("/{id}/heartbeat", Heartbeat)
            .WithMetadata(TokenCheckedByWrite.Instance, HeartbeatOutcomeMeter.Marker)
            .RequireAuthorization(Policies.WorkerItself)
            .RequireRateLimiting(Policies.HeartbeatRate)
            .Produces<HeartbeatResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        workers.MapPost("/{id}/token", RotateToken)
            .RequireAuthorization(Policies.Operate)
            .Produces<WorkerTokenResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapGet("/{id}/metadata", GetMetadata)
            .RequireAuthorization(Policies.Read)
            .Produces<WorkerMetadataResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapGet("/{id}/heartbeats", History)
            .RequireAuthorization(Policies.Read)
            .Produces<HeartbeatHistoryResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPut("/{id}/status", UpdateStatus)
            .RequireAuthorization(Policies.Operate)
            .Produces<WorkerResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        workers.MapPut("/{id}/schedulable", SetSchedulable)
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
