using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WorkerFleet.Client.Http;

namespace WorkerFleet.Client;

/// <summary>The typed <see cref="HttpClient"/> over the WorkerFleet API; register it with
/// <see cref="DependencyInjection.AddWorkerFleetClient"/>. Each request carries its own
/// <c>Authorization</c> header (the key, or the worker's token), never a default header, so one client serves
/// every route.</summary>
/// <param name="httpClient">The client from <see cref="IHttpClientFactory"/>, with its timeout set.</param>
/// <param name="options">The service's address and the key.</param>
/// <param name="timeProvider">The clock a <c>Retry-After</c> date is measured against.</param>
public sealed class WorkerFleetClient(HttpClient httpClient, IOptions<WorkerFleetClientOptions> options, TimeProvider timeProvider)
    : IWorkerFleetClient
{
    private readonly Uri _baseAddress = ConnectionSettings.Normalized(
        options.Value.BaseAddress ?? throw new InvalidOperationException($"{nameof(WorkerFleetClientOptions)}.BaseAddress is required."));

    private readonly string? _apiKey = options.Value.ApiKey;

    /// <inheritdoc />
    public Task<WorkerFleetResult<RegisteredWorker>> RegisterAsync(WorkerRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return SendAsync(HttpMethod.Post, "workers", _apiKey, Body(registration), ReadRegisteredAsync, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<WorkerFleetResult<HeartbeatReceipt>> HeartbeatAsync(string workerId, WorkerToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        return await SendAsync(
            HttpMethod.Post,
            Query.Worker(workerId, "heartbeat"),
            token.Value,
            null,
            async (content, ct) => (await ReadAsync<HeartbeatAnswer>(content, ct)).ToReceipt(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<WorkerFleetResult<Worker>> GetAsync(string workerId, CancellationToken cancellationToken = default) =>
        GetAsync<Worker>(Query.Worker(workerId), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<WorkerMetadata>> GetMetadataAsync(string workerId, CancellationToken cancellationToken = default) =>
        GetAsync<WorkerMetadata>(Query.Worker(workerId, "metadata"), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<Page<WorkerMetadata>>> ListMetadataAsync(
        WorkerStatus? status = null, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<WorkerMetadata>>(new Query("workers/metadata").Add("status", status).Add("limit", limit).Add("cursor", cursor).ToString(), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<HeartbeatHistory>> GetHeartbeatsAsync(string workerId, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync<HeartbeatHistory>(new Query(Query.Worker(workerId, "heartbeats")).Add("limit", limit).ToString(), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<Page<Worker>>> ListAsync(WorkerQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new WorkerQuery();
        var path = new Query("workers").Add("status", query.Status).Add("idPrefix", query.IdPrefix).Add("region", query.Region);
        foreach (var capability in query.Capabilities)
        {
            path.Add("capability", capability);
        }

        path.Add("minCapacity", query.MinCapacity).Add("schedulable", query.Schedulable).Add("limit", query.Limit).Add("cursor", query.Cursor);
        return GetAsync<Page<Worker>>(path.ToString(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<WorkerFleetResult<Page<Worker>>> ListActiveAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<Worker>>(new Query("workers/active").Add("limit", limit).Add("cursor", cursor).ToString(), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<WorkerCounts>> CountsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<WorkerCounts>("workers/counts", cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<IssuedWorkerToken>> RotateTokenAsync(string workerId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, Query.Worker(workerId, "token"), _apiKey, null, ReadAsync<IssuedWorkerToken>, cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<Worker>> UpdateStatusAsync(
        string workerId, WorkerStatus status, WorkerStatus? expectedStatus = null, CancellationToken cancellationToken = default) =>
        PutAsync(Query.Worker(workerId, "status"), new StatusChange(status, expectedStatus), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<Worker>> SetSchedulableAsync(
        string workerId, bool schedulable, string? reason = null, CancellationToken cancellationToken = default) =>
        PutAsync(Query.Worker(workerId, "schedulable"), new SchedulableChange(schedulable, reason), cancellationToken);

    /// <inheritdoc />
    public async Task<WorkerFleetResult> UnregisterAsync(string workerId, WorkerToken? token = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, Query.Worker(workerId), token?.Value ?? _apiKey, null, cancellationToken);
        return response.IsSuccessStatusCode
            ? WorkerFleetResult.Success(response.StatusCode)
            : WorkerFleetResult.Failure(await ProblemOfAsync(response, cancellationToken));
    }

    /// <inheritdoc />
    public Task<WorkerFleetResult<Page<WorkerEvent>>> GetWorkerEventsAsync(
        string workerId, int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        GetAsync<Page<WorkerEvent>>(new Query(Query.Worker(workerId, "events")).Add("limit", limit).Add("cursor", cursor).ToString(), cancellationToken);

    /// <inheritdoc />
    public Task<WorkerFleetResult<EventPage>> GetEventsAsync(long after = 0, int? limit = null, CancellationToken cancellationToken = default) =>
        GetAsync<EventPage>(new Query("events").Add("after", after).Add("limit", limit).ToString(), cancellationToken);

    private static async Task<T> ReadAsync<T>(HttpContent content, CancellationToken cancellationToken) =>
        await content.ReadFromJsonAsync<T>(WireJson.Options, cancellationToken)
        ?? throw new JsonException($"The service answered null where a {typeof(T).Name} was expected.");

    /// <summary>The registration's answer is the worker's fields with the token beside them.</summary>
    private static async Task<RegisteredWorker> ReadRegisteredAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var body = await content.ReadAsByteArrayAsync(cancellationToken);
        var worker = JsonSerializer.Deserialize<Worker>(body, WireJson.Options) ?? throw new JsonException("The registration answered no worker.");
        var token = JsonSerializer.Deserialize<RegistrationToken>(body, WireJson.Options)?.Token
            ?? throw new JsonException("The registration answered no token.");
        return new RegisteredWorker(worker, token);
    }

    private static JsonContent Body<T>(T body) => JsonContent.Create(body, options: WireJson.Options);

    private Task<WorkerFleetResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, _apiKey, null, ReadAsync<T>, cancellationToken);

    /// <summary>An operator's change of a worker: the admin key, a JSON body, the changed worker back.</summary>
    private Task<WorkerFleetResult<Worker>> PutAsync<TBody>(string path, TBody body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, _apiKey, Body(body), ReadAsync<Worker>, cancellationToken);

    private async Task<WorkerFleetResult<T>> SendAsync<T>(
        HttpMethod method,
        string path,
        string? credential,
        HttpContent? content,
        Func<HttpContent, CancellationToken, Task<T>> read,
        CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, credential, content, cancellationToken);
        return response.IsSuccessStatusCode
            ? WorkerFleetResult<T>.Success(response.StatusCode, await read(response.Content, cancellationToken))
            : WorkerFleetResult<T>.Failure(await ProblemOfAsync(response, cancellationToken));
    }

    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, string? credential, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, path)) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credential is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        }

        return await httpClient.SendAsync(request, cancellationToken);
    }

    private async Task<WorkerFleetProblem> ProblemOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemDocument? document = null;
        try
        {
            document = await response.Content.ReadFromJsonAsync<ProblemDocument>(WireJson.Options, cancellationToken);
        }
        catch (JsonException)
        {
            // Not a problem document (an empty body, a proxy's HTML page): the status and reason phrase still say what happened.
        }

        var errors = document?.Errors?.ToDictionary(field => field.Key, field => (IReadOnlyList<string>)field.Value, StringComparer.Ordinal)
            ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        return new WorkerFleetProblem(
            response.StatusCode, document?.Type, document?.Title ?? response.ReasonPhrase, document?.Detail, errors, RetryAfterOf(response));
    }

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };
}
