using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace WorkerFleet.WebApi.Problems;

/// <summary>Answers requests the endpoints could not even read (bad JSON, wrong types, oversized bodies) with a
/// 4xx problem, and anything unexpected with a 500 problem that reveals nothing of the server.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            problem = ForBadRequest(badRequest);
        }
        else
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = WorkerProblems.TypePrefix + "unexpected",
                Title = "Unexpected error",
                Detail = "The server could not complete the request. It has been logged.",
            };
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails ForBadRequest(BadHttpRequestException exception)
    {
        // A body streamed past the limit surfaces as a 400 "could not read the body" wrapping the server's 413.
        // Its type and detail come from StatusProblems, like every 413 the framework writes itself.
        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge
            || exception.InnerException is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return new ProblemDetails { Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large" };
        }

        if (exception.InnerException is JsonException json)
        {
            var field = json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            var message = json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "The body holds a field this request does not have."
                : json.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
                    ? "The body repeats a field."
                    : "The value has the wrong type or the JSON is malformed.";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Type = WorkerProblems.TypePrefix + "malformed-request",
                Title = "Malformed request",
                Detail = "The request body is not valid JSON for this endpoint.",
            };
        }

        // Any other status (a 415 for a body without Content-Type) has its type and detail from StatusProblems, as when
        // the framework writes it itself.
        return exception.StatusCode == StatusCodes.Status400BadRequest
            ? new ProblemDetails
            {
                Status = exception.StatusCode,
                Type = WorkerProblems.TypePrefix + "malformed-request",
                Title = "Malformed request",
                Detail = exception.Message,
            }
            : new ProblemDetails { Status = exception.StatusCode };
    }
}
