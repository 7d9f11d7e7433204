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

    public static IResult ToProblem(this WorkerError error) => error switch
    {
        InvalidConfiguration invalid => TypedResults.ValidationProblem(
            invalid.Errors, detail: error.Message, title: "Invalid request", type: TypePrefix + "invalid-configuration"),
        WorkerNotFound => Problem(StatusCodes.Status404NotFound, "worker-not-found", "Worker not found", error),
        WorkerAlreadyExists => Problem(StatusCodes.Status409Conflict, "worker-already-exists", "Worker already exists", error),
        InvalidStateTransition => Problem(StatusCodes.Status400BadRequest, "invalid-state-transition", "Invalid state transition", error),
        StatusConflict => Problem(StatusCodes.Status409Conflict, "status-conflict", "Status conflict", error),
        EventsExpired => Problem(StatusCodes.Status410Gone, "events-expired", "Events expired", error),
        InvalidWorkerToken => new HeaderResult(
            Problem(StatusCodes.Status401Unauthorized, "invalid-worker-token", "Invalid worker token", error),
            "WWW-Authenticate",
            "Bearer realm=\"workerfleet\", error=\"invalid_token\""),
        StorageUnavailable => new HeaderResult(
            Problem(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage unavailable", error),
            "Retry-After",
            RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.GetType().Name, "Unmapped worker error."),
    };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string type, string title, WorkerError error) =>
        TypedResults.Problem(detail: error.Message, statusCode: status, title: title, type: TypePrefix + type);

    private sealed class HeaderResult(IResult inner, string header, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[header] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
