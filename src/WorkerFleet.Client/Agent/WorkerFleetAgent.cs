using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WorkerFleet.Client.Agent;

/// <summary>Runs one worker against the service: registers it when it holds no token, then heartbeats at the pace
/// each answer sets. An unreachable or failing service is retried with jittered exponential backoff, a
/// <c>Retry-After</c> is followed, and a refusal only a person can resolve stops the requests until the token store
/// yields a new token. Nothing it logs or reports contains the token or the registration key.</summary>
internal sealed partial class WorkerFleetAgent(
    IOptions<WorkerFleetAgentOptions> options,
    IHttpClientFactory httpClients,
    IWorkerTokenStore store,
    AgentStatus status,
    TimeProvider time,
    [FromKeyedServices(WorkerFleetAgent.RandomKey)] Random random,
    ILogger<WorkerFleetAgent> logger) : BackgroundService
{
    public const string HttpClientName = "WorkerFleet.Agent";

    /// <summary>The key of the agent's <see cref="Random"/>: the source of its jitter, which tests fix.</summary>
    public const string RandomKey = "WorkerFleet.Agent.Random";

    private readonly WorkerFleetAgentOptions _options = options.Value;

    private readonly IOptions<WorkerFleetClientOptions> _client = Options.Create(new WorkerFleetClientOptions
    {
        BaseAddress = options.Value.BaseAddress,
        ApiKey = string.IsNullOrWhiteSpace(options.Value.RegistrationKey) ? null : options.Value.RegistrationKey,
        Timeout = options.Value.Timeout,
    });

    /// <summary>The token heartbeats are sent with; null while the worker registers or waits for a token.</summary>
    private volatile WorkerToken? _token;

    /// <summary>The token the service refused: never sent again, and not taken back from the store.</summary>
    private WorkerToken? _refused;

    private bool _awaitingToken;
    private int _failures;

    private string WorkerId => _options.WorkerId;

    private bool CanRegister => _client.Value.ApiKey is not null;

    private string GiveNewToken => $"Give the worker its new token {WhereTokensGo}; until then it sends no heartbeats.";

    private string WhereTokensGo => store is FileWorkerTokenStore file ? $"by writing it to {file.FilePath}" : "through its token store";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _token = await store.ReadAsync(cancellationToken) ?? (string.IsNullOrWhiteSpace(_options.Token) ? null : new WorkerToken(_options.Token));
        if (_token is null && !CanRegister)
        {
            var where = store is FileWorkerTokenStore file ? $"{file.FilePath} holds no token" : "its token store holds none";
            throw new InvalidOperationException(
                $"The WorkerFleet agent of worker '{WorkerId}' has no token to heartbeat with and no registration key to register with: {where}, " +
                $"and {nameof(WorkerFleetAgentOptions)}.Token and RegistrationKey are not set. Give the worker its token or a registration key.");
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_options.UnregisterOnShutdown && _token is { } token)
        {
            await UnregisterAsync(token, cancellationToken);
        }

        status.Enter(WorkerFleetAgentState.Stopped, status.LastError);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Workers restarted together (a deploy, a host's reboot) would otherwise heartbeat in step from the first beat on.
        var wait = _token is null ? TimeSpan.Zero : Jitter();
        try
        {
            while (true)
            {
                await WaitAsync(wait, stoppingToken);
                status.Attempting();
                wait = await AttemptAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; StopAsync unregisters when asked to.
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        // The timer exists before the status announces it, so whoever acts on NextAttemptAt (a test's fake clock) cannot miss it.
        var delay = Task.Delay(wait, time, cancellationToken);
        status.Waiting(time.GetUtcNow() + wait);
        await delay;
    }

    /// <summary>One request (or one look into the token store); returns how long to wait before the next.</summary>
    private async Task<TimeSpan> AttemptAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_awaitingToken)
            {
                return await LookForTokenAsync(cancellationToken);
            }

            return _token is { } token ? await HeartbeatAsync(token, cancellationToken) : await RegisterAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Unreachable, timed out, or an answer that is not the service's: none of it says the worker is refused.
            return BackOff(e is OperationCanceledException ? $"The request timed out: {e.Message}" : e.Message);
        }
    }

    private async Task<TimeSpan> RegisterAsync(CancellationToken cancellationToken)
    {
        var registration = new WorkerRegistration(
            WorkerId, _options.Region ?? "", _options.Capacity, [.. _options.Capabilities], new Dictionary<string, string>(_options.Metadata));
        var result = await Client().RegisterAsync(registration, cancellationToken);
        if (!result.IsSuccess)
        {
            var problem = result.Problem;
            if (problem.Status != HttpStatusCode.Conflict)
            {
                return Failed(problem);
            }

            return _refused is null
                ? AwaitToken(WorkerFleetAgentState.IdTaken, $"Worker id {WorkerId} is already registered and this worker holds no token for it ({problem}). Give the worker its token {WhereTokensGo}, or unregister the old registration.")
                : AwaitToken(
                    WorkerFleetAgentState.TokenRefused,
                    $"The service refused worker {WorkerId}'s token and the id is still registered ({problem}): the token was rotated or revoked. {GiveNewToken}");
        }

        var token = result.Value.Token;
        _token = token;
        _refused = null;
        _failures = 0;
        Log.Registered(logger, WorkerId, result.Value.Worker.Status);
        await KeepAsync(token, cancellationToken);
        status.Enter(WorkerFleetAgentState.Starting, null);
        return Jitter();
    }

    private async Task<TimeSpan> HeartbeatAsync(WorkerToken token, CancellationToken cancellationToken)
    {
        var result = await Client().HeartbeatAsync(WorkerId, token, cancellationToken);
        if (result.IsSuccess)
        {
            var receipt = result.Value;
            if (_failures > 0)
            {
                Log.Recovered(logger, WorkerId, _failures, receipt.Status);
            }
            else if (status.State != WorkerFleetAgentState.Heartbeating)
            {
                Log.Heartbeating(logger, WorkerId, receipt.Status);
            }

            Log.HeartbeatRecorded(logger, WorkerId, receipt.ReceivedAt, receipt.NextHeartbeatIn);
            _failures = 0;
            status.Heartbeat(receipt);
            return receipt.NextHeartbeatIn > TimeSpan.Zero ? receipt.NextHeartbeatIn : _options.MinimumBackoff;
        }

        var problem = result.Problem;
        switch (problem.Status)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.NotFound when CanRegister:
                // The service answers 401, not 404, for a worker an operator unregistered: its token went with it. A
                // registration tells the cases apart: 201, the worker was gone and is back; 409, its token was rotated.
                Log.Reregistering(logger, WorkerId, problem.ToString());
                _refused = token;
                _token = null;
                return TimeSpan.Zero;
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                _refused = token;
                return AwaitToken(
                    WorkerFleetAgentState.TokenRefused,
                    $"The service refused worker {WorkerId}'s token ({problem}): it was rotated or revoked, or the worker was unregistered. {GiveNewToken}");
            case HttpStatusCode.NotFound:
                _refused = token;
                return AwaitToken(
                    WorkerFleetAgentState.WorkerGone,
                    $"The service no longer knows worker {WorkerId} ({problem}) and no RegistrationKey is configured to register it again. Register it and give the worker its token {WhereTokensGo}, or configure a RegistrationKey.");
            default:
                return Failed(problem);
        }
    }

    /// <summary>A refusal that is not about the token: wait as told, retry a failing service, give up on the rest.</summary>
    private TimeSpan Failed(WorkerFleetProblem problem)
    {
        if (problem.RetryAfter is { } retryAfter)
        {
            // The service said when; backing off further would only leave the worker silent for longer.
            var wait = retryAfter > _options.MinimumBackoff ? retryAfter : _options.MinimumBackoff;
            Log.Throttled(logger, WorkerId, wait, problem.ToString());
            status.Enter(WorkerFleetAgentState.BackingOff, problem.ToString());
            return wait;
        }

        if ((int)problem.Status >= 500 || problem.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout)
        {
            return BackOff(problem.ToString());
        }

        _refused = _token;
        return AwaitToken(
            WorkerFleetAgentState.Refused,
            $"The service refused worker {WorkerId}'s request ({problem}). Correct the worker's settings and restart it, or give it a token {WhereTokensGo}.");
    }

    /// <summary>Full jitter between the minimum and a cap that doubles with each failure up to the maximum, so a fleet
    /// that lost the service together does not come back together.</summary>
    private TimeSpan BackOff(string error)
    {
        _failures++;
        var minimum = _options.MinimumBackoff;
        var cap = TimeSpan.FromTicks((long)Math.Min(_options.MaximumBackoff.Ticks, minimum.Ticks * Math.Pow(2, Math.Min(_failures - 1, 62))));
        var wait = minimum + ((cap - minimum) * random.NextDouble());
        if (status.State == WorkerFleetAgentState.BackingOff)
        {
            Log.StillFailing(logger, WorkerId, _failures, error, wait);
        }
        else
        {
            Log.Failing(logger, WorkerId, error, wait, _options.MaximumBackoff);
        }

        status.Enter(WorkerFleetAgentState.BackingOff, error);
        return wait;
    }

    /// <summary>Stops the requests: only a new token (or a restart with other settings) can help now.</summary>
    private TimeSpan AwaitToken(WorkerFleetAgentState state, string reason)
    {
        _token = null;
        _awaitingToken = true;
        Log.NeedsAPerson(logger, WorkerId, state, reason);
        status.Enter(state, reason);
        return _options.MaximumBackoff;
    }

    private async Task<TimeSpan> LookForTokenAsync(CancellationToken cancellationToken)
    {
        WorkerToken? stored;
        try
        {
            stored = await store.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.TokenStoreUnreadable(logger, WorkerId, e.Message);
            return _options.MaximumBackoff;
        }

        if (stored is null || stored == _refused)
        {
            return _options.MaximumBackoff;
        }

        _token = stored;
        _refused = null;
        _awaitingToken = false;
        Log.TokenFound(logger, WorkerId);
        status.Enter(WorkerFleetAgentState.Starting, null);
        return TimeSpan.Zero;
    }

    private async Task KeepAsync(WorkerToken token, CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteAsync(token, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.TokenNotKept(logger, WorkerId, e.Message);
        }
    }

    private async Task UnregisterAsync(WorkerToken token, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Client().UnregisterAsync(WorkerId, token, cancellationToken);
            if (result.IsSuccess)
            {
                Log.Unregistered(logger, WorkerId);
            }
            else
            {
                Log.UnregisterRefused(logger, WorkerId, result.Problem.ToString());
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            Log.UnregisterFailed(logger, WorkerId, e.Message);
        }
    }

    private TimeSpan Jitter() => _options.MinimumBackoff * random.NextDouble();

    /// <summary>A client per request: <see cref="IHttpClientFactory"/> then rotates the handlers, so a long-running
    /// worker follows DNS changes of the service.</summary>
    private WorkerFleetClient Client() => new(httpClients.CreateClient(HttpClientName), _client, time);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Registered worker {WorkerId}; the service reports it {Status}")]
        public static partial void Registered(ILogger logger, string workerId, WorkerStatus status);

        [LoggerMessage(2, LogLevel.Information, "Worker {WorkerId} is heartbeating; the service reports it {Status}")]
        public static partial void Heartbeating(ILogger logger, string workerId, WorkerStatus status);

        [LoggerMessage(3, LogLevel.Information, "Worker {WorkerId} reaches the service again after {Failures} failed attempts; the service reports it {Status}")]
        public static partial void Recovered(ILogger logger, string workerId, int failures, WorkerStatus status);

        [LoggerMessage(4, LogLevel.Debug, "Heartbeat of worker {WorkerId} recorded at {ReceivedAt:O}; the next in {NextIn}")]
        public static partial void HeartbeatRecorded(ILogger logger, string workerId, DateTimeOffset receivedAt, TimeSpan nextIn);

        [LoggerMessage(5, LogLevel.Warning, "Worker {WorkerId} cannot reach the service: {Error}. Retrying in {Wait}, then at growing intervals up to {MaximumBackoff}")]
        public static partial void Failing(ILogger logger, string workerId, string error, TimeSpan wait, TimeSpan maximumBackoff);

        [LoggerMessage(6, LogLevel.Debug, "Worker {WorkerId} still cannot reach the service after {Failures} attempts: {Error}. Retrying in {Wait}")]
        public static partial void StillFailing(ILogger logger, string workerId, int failures, string error, TimeSpan wait);

        [LoggerMessage(7, LogLevel.Warning, "The service asked worker {WorkerId} to wait {Wait}: {Error}")]
        public static partial void Throttled(ILogger logger, string workerId, TimeSpan wait, string error);

        [LoggerMessage(8, LogLevel.Error, "Worker {WorkerId} stopped heartbeating ({State}): {Reason}")]
        public static partial void NeedsAPerson(ILogger logger, string workerId, WorkerFleetAgentState state, string reason);

        [LoggerMessage(9, LogLevel.Warning, "The service refused the heartbeat of worker {WorkerId} ({Error}); registering it again with the registration key")]
        public static partial void Reregistering(ILogger logger, string workerId, string error);

        [LoggerMessage(10, LogLevel.Information, "Worker {WorkerId} found a new token in its token store; heartbeating again")]
        public static partial void TokenFound(ILogger logger, string workerId);

        [LoggerMessage(11, LogLevel.Error, "Could not keep the new token of worker {WorkerId} in its token store: {Error}. A restarted process will not find it")]
        public static partial void TokenNotKept(ILogger logger, string workerId, string error);

        [LoggerMessage(12, LogLevel.Warning, "Could not read the token store of worker {WorkerId}: {Error}")]
        public static partial void TokenStoreUnreadable(ILogger logger, string workerId, string error);

        [LoggerMessage(13, LogLevel.Information, "Unregistered worker {WorkerId} on shutdown")]
        public static partial void Unregistered(ILogger logger, string workerId);

        [LoggerMessage(14, LogLevel.Warning, "The service refused to unregister worker {WorkerId} on shutdown: {Error}")]
        public static partial void UnregisterRefused(ILogger logger, string workerId, string error);

        [LoggerMessage(15, LogLevel.Warning, "Could not unregister worker {WorkerId} on shutdown: {Error}")]
        public static partial void UnregisterFailed(ILogger logger, string workerId, string error);
    }
}
