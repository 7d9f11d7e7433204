using Microsoft.AspNetCore.Mvc;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.WebApi.Problems;

/// <summary>The one mapping from use-case outcomes to HTTP: success through the caller's projection, every
/// <see cref="WorkerError"/> to an RFC 7807 problem with a stable type.</summary>
internal static class WorkerProblems
{
    public const string TypePrefix = "urn:workerfleet:problem:";

    /// <summary>Seconds a client should wait before retrying while storage is unavailable.</summary>
    public const int RetryAfterSeconds = 5;

    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult> onSuccess) => result.Match(onSuccess, ToProblem);

    public static IResult ToProblem(this WorkerError error)
    {
        var problem = DetailsOf(error);
        IResult result = problem is HttpValidationProblemDetails invalid
            ? TypedResults.ValidationProblem(invalid.Errors, invalid.Detail, title: invalid.Title, type: invalid.Type)
            : TypedResults.Problem(problem);
        return error switch
        {
            InvalidWorkerToken => new HeaderResult(result, "WWW-Authenticate", "Bearer realm=\"workerfleet\", error=\"invalid_token\""),
            StorageUnavailable => new HeaderResult(result, "Retry-After", RetryAfterHeader(TimeSpan.FromSeconds(RetryAfterSeconds))),
            _ => result,
        };
    }

    /// <summary>The problem an error answers with: its status, stable type and title, and the error's message.</summary>
    public static ProblemDetails DetailsOf(WorkerError error) => error switch
    {
        InvalidConfiguration invalid => new HttpValidationProblemDetails(invalid.Errors)
        {
            Status = StatusCodes.Status400BadRequest, Type = TypePrefix + "invalid-configuration", Title = "Invalid request", Detail = error.Message,
        },
        WorkerNotFound => Details(StatusCodes.Status404NotFound, "worker-not-found", "Worker not found", error.Message),
        WorkerAlreadyExists => Details(StatusCodes.Status409Conflict, "worker-already-exists", "Worker already exists", error.Message),
        InvalidStateTransition => Details(StatusCodes.Status400BadRequest, "invalid-state-transition", "Invalid state transition", error.Message),
        StatusConflict => Details(StatusCodes.Status409Conflict, "status-conflict", "Status conflict", error.Message),
        EventsExpired => Details(StatusCodes.Status410Gone, "events-expired", "Events expired", error.Message),
        InvalidWorkerToken => Details(StatusCodes.Status401Unauthorized, "invalid-worker-token", "Invalid worker token", error.Message),
        StorageUnavailable => Details(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage unavailable", error.Message),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.GetType().Name, "Unmapped worker error."),
    };

    /// <summary>The answer to a request without a credential this service accepts.</summary>
    public static ProblemDetails Unauthorized() => Details(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized",
        "Send 'Authorization: Bearer <key or worker token>' with a credential this service issued.");

    /// <summary>The answer to a credential that may not do what it asked.</summary>
    public static ProblemDetails Forbidden() => Details(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "The credential may not do this.");

    /// <summary>The answer to a worker over its heartbeat rate; <c>Retry-After</c> goes with it.</summary>
    public static ProblemDetails TooManyHeartbeats() => Details(StatusCodes.Status429TooManyRequests, "too-many-heartbeats", "Too many heartbeats",
        "This worker sent more heartbeats than its rate limit allows; retry after the Retry-After seconds.");

    /// <summary>The answer to a key over its registration rate; <c>Retry-After</c> goes with it.</summary>
    public static ProblemDetails TooManyRegistrations() => Details(StatusCodes.Status429TooManyRequests, "too-many-registrations",
        "Too many registrations", "This key registered more workers than its rate limit allows; retry after the Retry-After seconds.");

    /// <summary>The answer to a client that presented too many refused credentials; <c>Retry-After</c> goes with it.</summary>
    public static ProblemDetails TooManyFailedAuthentications() => Details(StatusCodes.Status429TooManyRequests,
        "too-many-failed-authentications", "Too many failed authentications",
        "This client presented more refused credentials than the service allows; retry after the Retry-After seconds with a valid credential.");

    /// <summary>The answer to a caller that holds as many open streams as it may.</summary>
    public static ProblemDetails TooManyStreams() => Details(StatusCodes.Status429TooManyRequests, "too-many-streams", "Too many streams",
        "This credential holds as many open streams as the service allows; close one, or retry after the Retry-After seconds.");

    /// <summary>A <c>Retry-After</c> value: whole seconds, at least one.</summary>
    public static string RetryAfterHeader(TimeSpan wait) =>
        Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static ProblemDetails Details(int status, string type, string title, string detail) =>
        new() { Status = status, Type = TypePrefix + type, Title = title, Detail = detail };

    private sealed class HeaderResult(IResult inner, string header, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[header] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
