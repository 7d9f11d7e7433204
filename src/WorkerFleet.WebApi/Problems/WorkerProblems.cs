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
        StorageUnavailable => new RetryAfterResult(
            Problem(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "Storage unavailable", error), RetryAfterSeconds),
        _ => throw new ArgumentOutOfRangeException(nameof(error), error.GetType().Name, "Unmapped worker error."),
    };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Problem(int status, string type, string title, WorkerError error) =>
        TypedResults.Problem(detail: error.Message, statusCode: status, title: title, type: TypePrefix + type);

    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
