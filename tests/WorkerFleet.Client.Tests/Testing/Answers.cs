using System.Globalization;
using System.Net;
using System.Text;

namespace WorkerFleet.Client.Tests.Testing;

/// <summary>Answers shaped like the service's, JSON as it writes it.</summary>
public static class Answers
{
    public static readonly DateTimeOffset RegisteredAt = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    public static string WorkerJson(string id, string status = "Pending", bool schedulable = true) => $"{{{WorkerFields(id, status, schedulable)}}}";

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Registered(string id, string token) =>
        Json(HttpStatusCode.Created, $$"""{{{WorkerFields(id, "Pending", schedulable: true)}},"token":"{{token}}"}""");

    public static HttpResponseMessage Heartbeat(string id, DateTimeOffset receivedAt, double nextInSeconds, string status = "Pending") =>
        Json(HttpStatusCode.OK, $$"""
            {"workerId":"{{id}}","receivedAt":"{{receivedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}}","status":"{{status}}","nextHeartbeatInSeconds":{{nextInSeconds.ToString(CultureInfo.InvariantCulture)}}}
            """);

    public static HttpResponseMessage NoContent() => new(HttpStatusCode.NoContent);

    public static HttpResponseMessage Problem(HttpStatusCode status, string type, TimeSpan? retryAfter = null, string? errors = null)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(
                $$"""{"type":"{{type}}","title":"Title of {{status}}","status":{{(int)status}},"detail":"Detail of {{status}}."{{(errors is null ? "" : ",\"errors\":" + errors)}},"traceId":"00-abc"}""",
                Encoding.UTF8,
                "application/problem+json"),
        };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    }

    private static string WorkerFields(string id, string status, bool schedulable) =>
        $"\"id\":\"{id}\",\"region\":\"eu-west-1\",\"capacity\":4,\"capabilities\":[\"compute\",\"storage\"],\"metadata\":{{\"rack\":\"r7\"}}," +
        $"\"status\":\"{status}\",\"registeredAt\":\"2026-12-02T10:00:00Z\",\"lastHeartbeatAt\":null,\"schedulable\":{(schedulable ? "true" : "false")}";
}
