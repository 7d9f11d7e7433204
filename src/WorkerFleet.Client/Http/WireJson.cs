using System.Text.Json;
using System.Text.Json.Serialization;

namespace WorkerFleet.Client.Http;

/// <summary>The service's JSON: camelCase, enums by name, and nothing sent for an unset optional field.</summary>
internal static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>Reads and writes a <see cref="WorkerToken"/> as the plain string the service sends.</summary>
internal sealed class WorkerTokenJsonConverter : JsonConverter<WorkerToken>
{
    public override WorkerToken Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetString() ?? throw new JsonException("A worker token is a string."));

    public override void Write(Utf8JsonWriter writer, WorkerToken value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

/// <summary>The heartbeat answer as sent: the interval is in seconds.</summary>
internal sealed record HeartbeatAnswer(string WorkerId, DateTimeOffset ReceivedAt, WorkerStatus Status, double NextHeartbeatInSeconds)
{
    public HeartbeatReceipt ToReceipt() => new(WorkerId, ReceivedAt, Status, TimeSpan.FromSeconds(NextHeartbeatInSeconds));
}

/// <summary>The token a registration's answer adds to the worker's own fields.</summary>
internal sealed record RegistrationToken(WorkerToken Token);

internal sealed record StatusChange(WorkerStatus Status, WorkerStatus? ExpectedStatus);

internal sealed record SchedulableChange(bool Schedulable, string? Reason);

/// <summary>An RFC 7807 problem document, as far as the client reads it.</summary>
internal sealed record ProblemDocument(string? Type, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
