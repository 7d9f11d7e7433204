using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Endpoints;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.OpenApi;

/// <summary>The examples the reference shows: one instance of each contract a route takes or answers, serialised by
/// the same JSON contract as the real answers, and for each problem a route declares the problem the service sends
/// with that status, made by the same mapping as the real one. An example therefore cannot drift from the wire.</summary>
internal static class ApiExamples
{
    private static readonly DateTime RegisteredAt = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime LastHeartbeatAt = RegisteredAt.AddMinutes(42);
    private static readonly WorkerId Id = WorkerId.From("gpu-node-7");

    private static readonly WorkerResponse Worker = new(
        Id.Value, "eu-west-1", 8, ["compute", "gpu"], new Dictionary<string, string> { ["rack"] = "r12", ["os"] = "linux" },
        WorkerStatus.Active, RegisteredAt, LastHeartbeatAt, Schedulable: true);

    private static readonly EventResponse Event = EventResponse.Of(new WorkerEvent(
        1042, LastHeartbeatAt.AddMinutes(3), Id, WorkerEventType.StatusChanged, WorkerStatus.Active, WorkerStatus.Offline,
        TransitionTrigger.StaleDetection, "stale-detection job", LastHeartbeatAt, LastHeartbeatAt.AddMinutes(1)));

    private const string Token = "wft_3q2-7Jm0cVb8Hn1xKp4sYt6uWz9aDe5fGh";

    private static readonly FrozenDictionary<Type, object> Bodies = new Dictionary<Type, object>
    {
        [typeof(RegisterWorkerRequest)] = new RegisterWorkerRequest(Worker.Id, Worker.Region, Worker.Capacity, Worker.Capabilities, Worker.Metadata),
        [typeof(UpdateWorkerStatusRequest)] = new UpdateWorkerStatusRequest(nameof(WorkerStatus.Failed), nameof(WorkerStatus.Offline)),
        [typeof(SetSchedulableRequest)] = new SetSchedulableRequest(false, "Kernel upgrade, back by 14:00 UTC"),
        [typeof(WorkerResponse)] = Worker,
        [typeof(RegisteredWorkerResponse)] = RegisteredWorkerResponse.Of(Worker with { Status = WorkerStatus.Pending, LastHeartbeatAt = null }, Token),
        [typeof(PageResponse<WorkerResponse>)] = new PageResponse<WorkerResponse>([Worker], "Z3B1LW5vZGUtNw"),
        [typeof(WorkerMetadataResponse)] = new WorkerMetadataResponse(Worker, LastHeartbeatAt, 2_520),
        [typeof(PageResponse<WorkerMetadataResponse>)] = new PageResponse<WorkerMetadataResponse>([new(Worker, LastHeartbeatAt, 2_520)], null),
        [typeof(WorkerTokenResponse)] = new WorkerTokenResponse(Id.Value, Token),
        [typeof(HeartbeatResponse)] = new HeartbeatResponse(Id.Value, LastHeartbeatAt, WorkerStatus.Active, 9.412),
        [typeof(HeartbeatHistoryResponse)] = new HeartbeatHistoryResponse(Id.Value, [LastHeartbeatAt, LastHeartbeatAt.AddSeconds(-10), LastHeartbeatAt.AddSeconds(-20)]),
        [typeof(WorkerCountsResponse)] = new WorkerCountsResponse(3, 118, 2, 1, 124),
        [typeof(LifecycleRunResponse)] = new LifecycleRunResponse(["gpu-node-9"], ["cpu-node-3", "cpu-node-4"], []),
        [typeof(EventResponse)] = Event,
        [typeof(EventPageResponse)] = new EventPageResponse([Event], Event.Sequence, Event.Sequence),
        [typeof(PageResponse<EventResponse>)] = new PageResponse<EventResponse>([Event], "MTA0Mg"),
        [typeof(FleetHistoryResponse)] = new FleetHistoryResponse([
            new(LastHeartbeatAt.AddSeconds(-15), 11.8, 3, 118, 2, 1),
            new(LastHeartbeatAt, 12.1, 2, 119, 2, 1)]),
        [typeof(AlarmsEndpoints.AlarmsResponse)] = new AlarmsEndpoints.AlarmsResponse(
            [new(Alarm.MassFailure, "eu-west-1", LastHeartbeatAt,
                "40 of 50 Active workers in eu-west-1 have no recent heartbeat, more than the 50% threshold: none of them is marked Offline "
                + "while it lasts, and the other regions are swept as usual. The hold ends by itself once enough of them heartbeat again. "
                + "If they are really gone, POST /alarms/mass-failure/override?region=eu-west-1 lets the next stale detection mark them Offline.",
                40, 50)],
            [new(Region: "eu-west-1", ArmedAt: LastHeartbeatAt.AddMinutes(5), ArmedBy: "admin key ops", ExpiresAt: LastHeartbeatAt.AddMinutes(20))]),
        [typeof(AlarmsEndpoints.OverrideResponse)] = new AlarmsEndpoints.OverrideResponse("eu-west-1", LastHeartbeatAt.AddMinutes(5), "admin key ops", LastHeartbeatAt.AddMinutes(20)),
        [typeof(CallerEndpoints.CallerResponse)] = new CallerEndpoints.CallerResponse(["admin"], null, "admin key ops", LastHeartbeatAt),
    }.ToFrozenDictionary();

    /// <summary>The example of a body of <paramref name="type"/>, or null for a type without one.</summary>
    public static JsonNode? Body(Type type, JsonSerializerOptions options) =>
        Bodies.TryGetValue(type, out var example) ? JsonSerializer.SerializeToNode(example, type, options) : null;

    /// <summary>The problem a route answers with <paramref name="status"/>, or null for a status no route here declares.</summary>
    /// <param name="status">The status the route declares.</param>
    /// <param name="method">The route's method.</param>
    /// <param name="route">The route's path as the API explorer gives it, such as <c>workers/{id}/status</c>.</param>
    public static ProblemDetails? Problem(int status, string method, string? route) => status switch
    {
        StatusCodes.Status400BadRequest when route == "workers/{id}/status" =>
            WorkerProblems.DetailsOf(new InvalidStateTransition(Id, WorkerStatus.Failed, WorkerStatus.Active)),
        StatusCodes.Status400BadRequest => WorkerProblems.DetailsOf(new InvalidConfiguration(FieldErrorOf(method, route))),
        StatusCodes.Status401Unauthorized => WorkerProblems.DetailsOf(new InvalidWorkerToken()),
        StatusCodes.Status403Forbidden => WorkerProblems.Forbidden(),
        StatusCodes.Status404NotFound => WorkerProblems.DetailsOf(new WorkerNotFound(Id)),
        StatusCodes.Status409Conflict when route == "workers/{id}/status" =>
            WorkerProblems.DetailsOf(new StatusConflict(Id, WorkerStatus.Offline, WorkerStatus.Active)),
        StatusCodes.Status409Conflict => WorkerProblems.DetailsOf(new WorkerAlreadyExists(Id)),
        StatusCodes.Status410Gone => WorkerProblems.DetailsOf(new EventsExpired(1000, 1041)),
        StatusCodes.Status429TooManyRequests when route == "workers" => WorkerProblems.TooManyRegistrations(),
        StatusCodes.Status429TooManyRequests when route == "events/stream" => WorkerProblems.TooManyStreams(),
        StatusCodes.Status429TooManyRequests => WorkerProblems.TooManyHeartbeats(),
        StatusCodes.Status503ServiceUnavailable => WorkerProblems.DetailsOf(new StorageUnavailable("the database did not answer")),
        _ => null,
    };

    // One field each route's validator refuses, with the validator's own words.
    private static Dictionary<string, string[]> FieldErrorOf(string method, string? route) => (method, route) switch
    {
        ("POST", "workers") => new() { ["capacity"] = ["capacity must be between 1 and 100000."] },
        (_, "workers/{id}/schedulable") => new() { ["schedulable"] = ["schedulable is required: true or false."] },
        (_, "alarms/mass-failure/override") => new() { ["region"] = ["region must be 1–64 characters with no control characters or unpaired surrogates."] },
        _ => new() { ["limit"] = ["limit must be between 1 and 1000."] },
    };
}
