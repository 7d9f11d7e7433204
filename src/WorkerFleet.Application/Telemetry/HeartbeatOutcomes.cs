namespace WorkerFleet.Application.Telemetry;

/// <summary>The <c>outcome</c> tag of <c>workerfleet.heartbeats</c>.</summary>
public static class HeartbeatOutcomes
{
    /// <summary>Recorded and committed.</summary>
    public const string Recorded = "recorded";

    /// <summary>Refused as malformed (400).</summary>
    public const string Invalid = "invalid";

    /// <summary>No valid credential (401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>A credential that may not heartbeat for this worker (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>No such worker (404).</summary>
    public const string NotFound = "not-found";

    /// <summary>Over the worker's heartbeat rate limit (429).</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>Storage did not answer, or the service is shutting down (503).</summary>
    public const string Unavailable = "unavailable";

    /// <summary>Any other answer (a server error).</summary>
    public const string Failed = "failed";

    /// <summary>The outcome of a heartbeat answered with <paramref name="statusCode"/>.</summary>
    public static string Of(int statusCode) => statusCode switch
    {
        200 => Recorded,
        400 or 413 or 415 => Invalid,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        429 => RateLimited,
        503 => Unavailable,
        _ => Failed,
    };
}
