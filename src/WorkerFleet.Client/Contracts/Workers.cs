namespace WorkerFleet.Client;

/// <summary>Where a worker is in its lifecycle, as the service names it.</summary>
public enum WorkerStatus
{
    /// <summary>Registered; waits for a recent heartbeat and the activation job.</summary>
    Pending,

    /// <summary>Heartbeating within the service's timeout.</summary>
    Active,

    /// <summary>Was active, then sent no heartbeat within the timeout; a recent heartbeat brings it back.</summary>
    Offline,

    /// <summary>Taken out of service by an operator. Terminal: unregister and register again to come back.</summary>
    Failed,
}

/// <summary>A worker as the service describes it.</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Region">The region it registered in.</param>
/// <param name="Capacity">Its capacity, 1–100000.</param>
/// <param name="Capabilities">What it can do.</param>
/// <param name="Metadata">Free-form labels it registered with.</param>
/// <param name="Status">Its lifecycle status.</param>
/// <param name="RegisteredAt">When it registered (UTC).</param>
/// <param name="LastHeartbeatAt">Its last recorded heartbeat (UTC), or null before the first.</param>
/// <param name="Schedulable">False while an operator has taken it out of scheduling; true when the service does not
/// say, as services from before that setting do not.</param>
public sealed record Worker(
    string Id,
    string Region,
    int Capacity,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> Metadata,
    WorkerStatus Status,
    DateTimeOffset RegisteredAt,
    DateTimeOffset? LastHeartbeatAt,
    bool Schedulable = true);

/// <summary>What a worker registers with (<c>POST /workers</c>).</summary>
/// <param name="Id">1–128 characters of <c>A–Z a–z 0–9 . _ -</c>, starting with a letter or digit.</param>
/// <param name="Region">1–64 characters.</param>
/// <param name="Capacity">1–100000.</param>
/// <param name="Capabilities">At most 32, without duplicates; null for none.</param>
/// <param name="Metadata">At most 32 entries; null for none.</param>
public sealed record WorkerRegistration(
    string Id,
    string Region,
    int Capacity,
    IReadOnlyList<string>? Capabilities = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>A new registration: the worker and, this once, its token.</summary>
/// <param name="Worker">The worker, Pending.</param>
/// <param name="Token">The worker's token; the service keeps only its hash and never shows it again.</param>
public sealed record RegisteredWorker(Worker Worker, WorkerToken Token);

/// <summary>A token issued by rotation (<c>POST /workers/{id}/token</c>); the previous one stopped working.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Token">Its new token.</param>
public sealed record IssuedWorkerToken(string WorkerId, WorkerToken Token);

/// <summary>The service's answer to a heartbeat.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="ReceivedAt">The server time the heartbeat was recorded at (UTC).</param>
/// <param name="Status">The worker's status; a heartbeat never changes it.</param>
/// <param name="NextHeartbeatIn">When to send the next heartbeat: the service paces the fleet and already spreads
/// the workers apart.</param>
public sealed record HeartbeatReceipt(string WorkerId, DateTimeOffset ReceivedAt, WorkerStatus Status, TimeSpan NextHeartbeatIn);

/// <summary>A worker with its heartbeat summary (<c>GET /workers/{id}/metadata</c>).</summary>
/// <param name="Worker">The worker.</param>
/// <param name="LastHeartbeatAt">Its last heartbeat (UTC), or null.</param>
/// <param name="HeartbeatCount">Heartbeats in its retained history.</param>
public sealed record WorkerMetadata(Worker Worker, DateTimeOffset? LastHeartbeatAt, int HeartbeatCount);

/// <summary>A worker's retained heartbeats (<c>GET /workers/{id}/heartbeats</c>).</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Heartbeats">Server times (UTC), newest first.</param>
public sealed record HeartbeatHistory(string WorkerId, IReadOnlyList<DateTimeOffset> Heartbeats);

/// <summary>The fleet counted by status in one consistent snapshot (<c>GET /workers/counts</c>).</summary>
/// <param name="Pending">Pending workers.</param>
/// <param name="Active">Active workers.</param>
/// <param name="Offline">Offline workers.</param>
/// <param name="Failed">Failed workers.</param>
/// <param name="Total">Their sum.</param>
public sealed record WorkerCounts(int Pending, int Active, int Offline, int Failed, int Total);

/// <summary>One page of a list ordered by id.</summary>
/// <typeparam name="T">What the list holds.</typeparam>
/// <param name="Items">This page.</param>
/// <param name="NextCursor">Pass it back as the cursor, with the same filters, for the next page; null on the last.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>The filters of <c>GET /workers</c>, combined with each other and with paging. Unset filters select
/// every worker.</summary>
public sealed record WorkerQuery
{
    /// <summary>Only workers in this status.</summary>
    public WorkerStatus? Status { get; init; }

    /// <summary>Only workers whose id starts with this (case-sensitive, every character literal).</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Only workers of this region (the whole region, case-sensitive).</summary>
    public string? Region { get; init; }

    /// <summary>Only workers that have every one of these capabilities.</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Only workers with at least this capacity.</summary>
    public int? MinCapacity { get; init; }

    /// <summary>Only workers that are (true) or are not (false) schedulable.</summary>
    public bool? Schedulable { get; init; }

    /// <summary>Workers per page (service default 100, at most 1000).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's <see cref="Page{T}.NextCursor"/>.</summary>
    public string? Cursor { get; init; }
}
