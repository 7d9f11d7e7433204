namespace WorkerFleet.WebApi.Security;

/// <summary>What a caller is, as established by <see cref="CredentialAuthenticationHandler"/>.</summary>
internal static class Roles
{
    public const string Admin = "admin";
    public const string Reader = "reader";
    public const string Registrar = "registrar";

    /// <summary>The claim naming the worker a worker token belongs to.</summary>
    public const string WorkerClaim = "worker_id";
}

/// <summary>The authorization policies the endpoints name.</summary>
internal static class Policies
{
    public const string Register = "register";
    public const string Read = "read";
    public const string Operate = "operate";
    public const string WorkerItself = "worker-itself";
    public const string OperatorOrWorkerItself = "operator-or-worker-itself";

    /// <summary>The cap on long-lived streams per caller; on a group of routes it caps only the streams among them.</summary>
    public const string Streams = "streams";

    /// <summary>The Quartz HTTP API: readers and admins read it, only admins change anything through it.</summary>
    public const string SchedulerApi = "scheduler-api";
}

/// <summary>Endpoint metadata: an answer that stays open (Server-Sent Events), counted against its caller's
/// <see cref="SecurityOptions.MaxStreamsPerCaller"/>.</summary>
internal sealed class LongLivedStream
{
    public static readonly LongLivedStream Instance = new();

    /// <summary>The Quartz HTTP API's stream of scheduler events, which cannot carry metadata of ours.</summary>
    public const string QuartzEndpointName = "StreamEvents";

    private LongLivedStream()
    {
    }

    public static bool IsStream(HttpContext http) =>
        http.GetEndpoint()?.Metadata is { } metadata
        && (metadata.GetMetadata<LongLivedStream>() is not null || metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == QuartzEndpointName);
}
