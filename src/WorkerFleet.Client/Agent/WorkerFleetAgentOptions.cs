namespace WorkerFleet.Client.Agent;

/// <summary>The worker a process runs as, and how its agent talks to the WorkerFleet service.</summary>
public sealed class WorkerFleetAgentOptions
{
    /// <summary>The service's address, absolute http or https. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The worker's id: 1–128 characters of <c>A–Z a–z 0–9 . _ -</c>, starting with a letter or digit. Required.</summary>
    public string WorkerId { get; set; } = "";

    /// <summary>The region the worker registers in; required with a <see cref="RegistrationKey"/>.</summary>
    public string? Region { get; set; }

    /// <summary>The capacity the worker registers with, 1–100000; required with a <see cref="RegistrationKey"/>.</summary>
    public int Capacity { get; set; }

    /// <summary>The capabilities the worker registers with.</summary>
    public IList<string> Capabilities { get; } = [];

    /// <summary>The labels the worker registers with.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A registration key: the agent registers the worker with it when it holds no token, and again when the
    /// service no longer knows the worker (an operator unregistered it). Without one, the worker needs a token.</summary>
    public string? RegistrationKey { get; set; }

    /// <summary>A token the worker was given. The token store's token, when it holds one, comes first.</summary>
    public string? Token { get; set; }

    /// <summary>A file that keeps the worker's token: read at start, written (mode 0600 on Unix) after each
    /// registration, so a restarted process heartbeats with the token it had. Write a new token into it to hand a
    /// worker whose token was rotated its new one; the agent picks it up by itself. Null keeps the token in memory.</summary>
    public string? TokenPath { get; set; }

    /// <summary>Unregister the worker (<c>DELETE /workers/{id}</c> with its own token) when the host stops. Default false:
    /// a restarted worker keeps its registration and history.</summary>
    public bool UnregisterOnShutdown { get; set; }

    /// <summary>The shortest wait after a failed attempt, and the bound of the random delay before the first heartbeat.
    /// Default 1 s.</summary>
    public TimeSpan MinimumBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait after failed attempts, and how often a refused worker looks for a new token. Default 30 s.</summary>
    public TimeSpan MaximumBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one request may take. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
