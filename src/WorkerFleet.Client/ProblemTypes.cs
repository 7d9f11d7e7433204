namespace WorkerFleet.Client;

/// <summary>The stable problem types the service answers with, to compare with <see cref="WorkerFleetProblem.Type"/>.</summary>
public static class ProblemTypes
{
    /// <summary>The prefix every type of this service starts with.</summary>
    public const string Prefix = "urn:workerfleet:problem:";

    /// <summary>400: a field or query parameter is invalid; see <see cref="WorkerFleetProblem.Errors"/>.</summary>
    public const string InvalidConfiguration = Prefix + "invalid-configuration";

    /// <summary>400: malformed JSON, an unknown or repeated field, a wrong type.</summary>
    public const string MalformedRequest = Prefix + "malformed-request";

    /// <summary>401: no credential, or one the service did not issue (a rotated-out token, a removed worker's token).</summary>
    public const string Unauthorized = Prefix + "unauthorized";

    /// <summary>401: the worker's token was rotated out, or its worker removed, as the heartbeat was written.</summary>
    public const string InvalidWorkerToken = Prefix + "invalid-worker-token";

    /// <summary>403: the credential may not use the route (a reader key on a change, another worker's token).</summary>
    public const string Forbidden = Prefix + "forbidden";

    /// <summary>404: no worker has this id.</summary>
    public const string WorkerNotFound = Prefix + "worker-not-found";

    /// <summary>404: the route does not exist (check the base address).</summary>
    public const string NoSuchRoute = Prefix + "no-such-route";

    /// <summary>409: the id is already registered.</summary>
    public const string WorkerAlreadyExists = Prefix + "worker-already-exists";

    /// <summary>409: the worker's status was not the expected one.</summary>
    public const string StatusConflict = Prefix + "status-conflict";

    /// <summary>400: the lifecycle does not allow this status change.</summary>
    public const string InvalidStateTransition = Prefix + "invalid-state-transition";

    /// <summary>410: retention deleted events after the requested sequence.</summary>
    public const string EventsExpired = Prefix + "events-expired";

    /// <summary>413: the request body is too large.</summary>
    public const string BodyTooLarge = Prefix + "body-too-large";

    /// <summary>429: the worker sent more heartbeats than its rate limit; wait for <see cref="WorkerFleetProblem.RetryAfter"/>.</summary>
    public const string TooManyHeartbeats = Prefix + "too-many-heartbeats";

    /// <summary>429: the registration key registered more workers than its rate limit; wait for <see cref="WorkerFleetProblem.RetryAfter"/>.</summary>
    public const string TooManyRegistrations = Prefix + "too-many-registrations";

    /// <summary>429: this client presented more refused credentials than the service allows; wait for
    /// <see cref="WorkerFleetProblem.RetryAfter"/> and check the credential.</summary>
    public const string TooManyFailedAuthentications = Prefix + "too-many-failed-authentications";

    /// <summary>429: the credential already holds as many open event streams as the service allows.</summary>
    public const string TooManyStreams = Prefix + "too-many-streams";

    /// <summary>503: the service's storage is unavailable; wait for <see cref="WorkerFleetProblem.RetryAfter"/>.</summary>
    public const string StorageUnavailable = Prefix + "storage-unavailable";

    /// <summary>500: an unexpected error in the service.</summary>
    public const string Unexpected = Prefix + "unexpected";
}
