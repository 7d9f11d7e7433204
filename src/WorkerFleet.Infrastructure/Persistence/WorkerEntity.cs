using System.Text.Json;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>A row of the <c>workers</c> table. Timestamps are UTC.</summary>
internal sealed class WorkerEntity
{
    public required string Id { get; set; }

    public required string Region { get; set; }

    public int Capacity { get; set; }

    public List<string> Capabilities { get; set; } = [];

    public Dictionary<string, string> Metadata { get; set; } = [];

    public WorkerStatus Status { get; set; }

    public DateTime RegisteredAt { get; set; }

    public DateTime? LastHeartbeatAt { get; set; }

    public long HeartbeatsRecorded { get; set; }

    public long Version { get; set; }

    public string? TokenHash { get; set; }

    public bool Schedulable { get; set; }

    public static WorkerEntity From(Worker worker) => new()
    {
        Id = worker.Id.Value,
        Region = worker.Configuration.Region,
        Capacity = worker.Configuration.Capacity,
        Capabilities = [.. worker.Configuration.Capabilities],
        Metadata = new Dictionary<string, string>(worker.Configuration.Metadata, StringComparer.Ordinal),
        Status = worker.Status,
        RegisteredAt = worker.RegisteredAt.UtcDateTime,
        LastHeartbeatAt = worker.LastHeartbeatAt?.UtcDateTime,
        HeartbeatsRecorded = worker.HeartbeatsRecorded,
        Version = worker.Version,
        TokenHash = worker.TokenHash,
        Schedulable = worker.Schedulable,
    };

    public Worker ToWorker() => Worker.Restore(
        WorkerId.From(Id),
        new WorkerConfiguration(Region, Capacity, Capabilities, Metadata),
        Status,
        AsUtc(RegisteredAt),
        LastHeartbeatAt is { } last ? AsUtc(last) : null,
        HeartbeatsRecorded,
        Version,
        TokenHash,
        Schedulable);

    /// <summary>The JSON that stores a worker's capabilities on SQLite and its metadata on both providers.</summary>
    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Default);

    public static DateTimeOffset AsUtc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
