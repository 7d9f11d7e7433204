namespace WorkerFleet.Client;

/// <summary>The WorkerFleet HTTP API's worker routes (<c>/workers</c>), one method per route. Every method answers a <see cref="WorkerFleetResult"/>
/// when the service answered, success or refusal. When it did not answer, the call throws: an
/// <see cref="HttpRequestException"/> when it cannot be reached, a <see cref="TaskCanceledException"/> when the
/// request timed out (or <see cref="OperationCanceledException"/> when the caller cancelled), and a
/// <see cref="System.Text.Json.JsonException"/> when a success body is not the service's JSON. No message names a
/// credential.</summary>
public interface IWorkerFleetClient
{
    /// <summary><c>POST /workers</c> with the registration key (<see cref="WorkerFleetClientOptions.ApiKey"/>):
    /// 201 with the worker and its token; 400 invalid, 409 the id is taken.</summary>
    /// <param name="registration">The worker to register.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registered worker and its token, or the refusal.</returns>
    Task<WorkerFleetResult<RegisteredWorker>> RegisterAsync(WorkerRegistration registration, CancellationToken cancellationToken = default);

    /// <summary><c>POST /workers/{id}/heartbeat</c> with the worker's own token: records a heartbeat and says when
    /// to send the next one. 401 for a rotated-out token or a removed worker, 403 for another worker's token,
    /// 429 over the rate limit (with <see cref="WorkerFleetProblem.RetryAfter"/>).</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="token">Its current token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The receipt, or the refusal.</returns>
    Task<WorkerFleetResult<HeartbeatReceipt>> HeartbeatAsync(string workerId, WorkerToken token, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/{id}</c> with a reader or admin key; 404 when there is no such worker.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The worker, or the refusal.</returns>
    Task<WorkerFleetResult<Worker>> GetAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/{id}/metadata</c> with a reader or admin key.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The worker with its heartbeat summary, or the refusal.</returns>
    Task<WorkerFleetResult<WorkerMetadata>> GetMetadataAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/metadata</c> with a reader or admin key: a page of workers with their heartbeat summaries.</summary>
    /// <param name="status">Only workers in this status; null for all.</param>
    /// <param name="limit">Per page (service default 100, at most 1000).</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the refusal.</returns>
    Task<WorkerFleetResult<Page<WorkerMetadata>>> ListMetadataAsync(
        WorkerStatus? status = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/{id}/heartbeats</c> with a reader or admin key: the retained heartbeats, newest first.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="limit">How many at most; null for the service's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history, or the refusal.</returns>
    Task<WorkerFleetResult<HeartbeatHistory>> GetHeartbeatsAsync(string workerId, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers</c> with a reader or admin key: a page of the workers the query selects, by id.</summary>
    /// <param name="query">The filters and paging; null selects every worker.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the refusal (400 naming the bad filter).</returns>
    Task<WorkerFleetResult<Page<Worker>>> ListAsync(WorkerQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/active</c> with a reader or admin key: a page of the Active workers.</summary>
    /// <param name="limit">Per page.</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the refusal.</returns>
    Task<WorkerFleetResult<Page<Worker>>> ListActiveAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/counts</c> with a reader or admin key.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The counts, or the refusal.</returns>
    Task<WorkerFleetResult<WorkerCounts>> CountsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>POST /workers/{id}/token</c> with the admin key: issues a new token; the old one stops working at once.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new token, or the refusal.</returns>
    Task<WorkerFleetResult<IssuedWorkerToken>> RotateTokenAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /workers/{id}/status</c> with the admin key: 400 for a transition the lifecycle forbids, 409
    /// when the worker is not in <paramref name="expectedStatus"/>.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="status">The new status.</param>
    /// <param name="expectedStatus">Change only if the worker is in this status (compare-and-set); null for any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The changed worker, or the refusal.</returns>
    Task<WorkerFleetResult<Worker>> UpdateStatusAsync(
        string workerId, WorkerStatus status, WorkerStatus? expectedStatus = null, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /workers/{id}/schedulable</c> with the admin key: takes the worker out of scheduling, or
    /// returns it; its status does not change.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="schedulable">False to take it out of scheduling, true to return it.</param>
    /// <param name="reason">What the operator says, recorded with the change; null for nothing.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The worker, or the refusal.</returns>
    Task<WorkerFleetResult<Worker>> SetSchedulableAsync(
        string workerId, bool schedulable, string? reason = null, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /workers/{id}</c>: 204, the worker and its heartbeat history are gone; 404 when there is no
    /// such worker.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="token">The worker's own token, for a worker unregistering itself; null to use the admin key
    /// (<see cref="WorkerFleetClientOptions.ApiKey"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Success, or the refusal.</returns>
    Task<WorkerFleetResult> UnregisterAsync(string workerId, WorkerToken? token = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /workers/{id}/events</c> with a reader or admin key: the worker's timeline, newest first, also
    /// after it unregistered.</summary>
    /// <param name="workerId">The worker.</param>
    /// <param name="limit">Per page (1–1000, service default 100).</param>
    /// <param name="cursor">The previous page's <see cref="Page{T}.NextCursor"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the refusal.</returns>
    Task<WorkerFleetResult<Page<WorkerEvent>>> GetWorkerEventsAsync(
        string workerId, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /events</c> with a reader or admin key: the fleet's events after a sequence, oldest first.
    /// Pass each page's <see cref="EventPage.NextAfter"/> back until the items are empty. 410
    /// (<see cref="ProblemTypes.EventsExpired"/>) when retention deleted events after it.</summary>
    /// <param name="after">The last sequence already read; 0 for the oldest kept.</param>
    /// <param name="limit">Per page; null for the service's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page, or the refusal.</returns>
    Task<WorkerFleetResult<EventPage>> GetEventsAsync(long after = 0, int? limit = null, CancellationToken cancellationToken = default);
}
