using MediatR;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>The /workers routes: registration, heartbeats, status changes and reads.</summary>
internal static class WorkersEndpoints
{
    public static IEndpointRouteBuilder MapWorkers(this IEndpointRouteBuilder app)
    {
        var workers = app.MapGroup("/workers").WithTags("Workers");

        workers.MapPost("/", Register)
            .Produces<WorkerResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        workers.MapGet("/", List)
            .Produces<PageResponse<WorkerResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/active", ListActive)
            .Produces<PageResponse<WorkerResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/metadata", ListMetadata)
            .Produces<PageResponse<WorkerMetadataResponse>>()
            .ProducesValidationProblem();
        workers.MapGet("/{id}", Get)
            .Produces<WorkerResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapDelete("/{id}", Unregister)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPost("/{id}/heartbeat", Heartbeat)
            .Produces<HeartbeatResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapGet("/{id}/metadata", GetMetadata)
            .Produces<WorkerMetadataResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapGet("/{id}/heartbeats", History)
            .Produces<HeartbeatHistoryResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        workers.MapPut("/{id}/status", UpdateStatus)
            .Produces<WorkerResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> Register(RegisterWorkerRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(body.ToCommand(), cancellationToken))
            .ToHttp(worker => TypedResults.Created($"/workers/{worker.Id}", WorkerResponse.From(worker)));

    private static async Task<IResult> List(string? status, int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (status is null
            ? await mediator.Send(new GetAllWorkers(limit, cursor), cancellationToken)
            : await mediator.Send(new GetWorkersByStatus(status, limit, cursor), cancellationToken))
        .ToHttp(WorkerPage);

    private static async Task<IResult> ListActive(int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetActiveWorkers(limit, cursor), cancellationToken)).ToHttp(WorkerPage);

    private static async Task<IResult> ListMetadata(string? status, int? limit, string? cursor, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorkersWithMetadata(status, limit, cursor), cancellationToken))
            .ToHttp(page => TypedResults.Ok(new PageResponse<WorkerMetadataResponse>(
                page.Items.Select(WorkerMetadataResponse.From).ToList(), page.NextCursor)));

    private static async Task<IResult> Get(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorker(id), cancellationToken)).ToHttp(worker => TypedResults.Ok(WorkerResponse.From(worker)));

    private static async Task<IResult> Unregister(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UnregisterWorker(id), cancellationToken)).ToHttp(_ => TypedResults.NoContent());

    private static async Task<IResult> Heartbeat(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RecordHeartbeat(id), cancellationToken)).ToHttp(receipt => TypedResults.Ok(HeartbeatResponse.From(receipt)));

    private static async Task<IResult> GetMetadata(string id, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetWorkerMetadata(id), cancellationToken))
            .ToHttp(metadata => TypedResults.Ok(WorkerMetadataResponse.From(metadata)));

    private static async Task<IResult> History(string id, int? limit, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetHeartbeatHistory(id, limit), cancellationToken))
            .ToHttp(history => TypedResults.Ok(HeartbeatHistoryResponse.From(history)));

    private static async Task<IResult> UpdateStatus(string id, UpdateWorkerStatusRequest body, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new UpdateWorkerStatus(id, body.Status, body.ExpectedStatus), cancellationToken))
            .ToHttp(worker => TypedResults.Ok(WorkerResponse.From(worker)));

    private static IResult WorkerPage(Page<Worker> page) =>
        TypedResults.Ok(new PageResponse<WorkerResponse>(page.Items.Select(WorkerResponse.From).ToList(), page.NextCursor));
}
