using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.WebApi.Contracts;

public sealed record RegisterWorkerRequest(
    string Id,
    string Region,
    int Capacity,
    IReadOnlyList<string>? Capabilities,
    IReadOnlyDictionary<string, string>? Metadata)
{
    public RegisterWorker ToCommand() => new(Id, Region, Capacity, Capabilities, Metadata);
}

public sealed record UpdateWorkerStatusRequest(string Status, string? ExpectedStatus);

public sealed record SetSchedulableRequest(bool? Schedulable, string? Reason);

public record WorkerResponse(
    string Id,
    string Region,
    int Capacity,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> Metadata,
    WorkerStatus Status,
    DateTime RegisteredAt,
    DateTime? LastHeartbeatAt,
    bool Schedulable)
{
    public static WorkerResponse From(Worker worker) => new(
        worker.Id.Value,
        worker.Configuration.Region,
        worker.Configuration.Capacity,
        worker.Configuration.Capabilities,
        worker.Configuration.Metadata,
        worker.Status,
        worker.RegisteredAt.UtcDateTime,
        worker.LastHeartbeatAt?.UtcDateTime,
        worker.Schedulable);
}

/// <summary>A new registration: the worker and, this once, its token.</summary>
public sealed record RegisteredWorkerResponse : WorkerResponse
{
    private RegisteredWorkerResponse(WorkerResponse worker, string token)
        : base(worker) => Token = token;

    /// <summary>Shown once; listed last so it reads as what the registration adds to the worker.</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(1)]
    public string Token { get; }

    public static RegisteredWorkerResponse From(RegisteredWorker registered) => Of(WorkerResponse.From(registered.Worker), registered.Token);

    internal static RegisteredWorkerResponse Of(WorkerResponse worker, string token) => new(worker, token);
}

public sealed record WorkerTokenResponse(string WorkerId, string Token)
{
    public static WorkerTokenResponse From(IssuedWorkerToken issued) => new(issued.WorkerId.Value, issued.Token);
}

public sealed record WorkerMetadataResponse(WorkerResponse Worker, DateTime? LastHeartbeatAt, int HeartbeatCount)
{
    public static WorkerMetadataResponse From(WorkerMetadata metadata) =>
        new(WorkerResponse.From(metadata.Worker), metadata.LastHeartbeatAt?.UtcDateTime, metadata.HeartbeatCount);
}

public sealed record HeartbeatResponse(string WorkerId, DateTime ReceivedAt, WorkerStatus Status, double NextHeartbeatInSeconds)
{
    public static HeartbeatResponse From(HeartbeatReceipt receipt) =>
        new(receipt.WorkerId.Value, receipt.ReceivedAt.UtcDateTime, receipt.Status, Math.Round(receipt.NextHeartbeatIn.TotalSeconds, 3));
}

public sealed record HeartbeatHistoryResponse(string WorkerId, IReadOnlyList<DateTime> Heartbeats)
{
    public static HeartbeatHistoryResponse From(HeartbeatHistory history) =>
        new(history.WorkerId.Value, history.Heartbeats.Select(h => h.UtcDateTime).ToList());
}

public sealed record WorkerCountsResponse(int Pending, int Active, int Offline, int Failed, int Total)
{
    public static WorkerCountsResponse From(WorkerCounts counts) =>
        new(counts.Pending, counts.Active, counts.Offline, counts.Failed, counts.Total);
}

public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record LifecycleRunResponse(IReadOnlyList<string> Activated, IReadOnlyList<string> MarkedOffline, IReadOnlyList<string> Reactivated)
{
    public static LifecycleRunResponse From(LifecycleCheckReport report) => new(
        report.Activated.Select(id => id.Value).ToList(),
        report.MarkedOffline.Select(id => id.Value).ToList(),
        report.Reactivated.Select(id => id.Value).ToList());
}
