using Microsoft.AspNetCore.Http;

namespace WorkerFleet.WebApi.Problems;

/// <summary>Gives the problems the framework writes by itself (an unknown route, a body over the limit, a wrong
/// content type) and those of the Quartz HTTP API the same stable <c>type</c> scheme as the service's own.</summary>
internal static class StatusProblems
{
    /// <summary>The member Quartz's HTTP API adds to each problem it writes, naming the exception behind it.</summary>
    private const string QuartzExceptionType = "Quartz-ExceptionType";

    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.Remove(QuartzExceptionType))
        {
            FromTheScheduler(problem);
            return;
        }

        if (problem.Type?.StartsWith(WorkerProblems.TypePrefix, StringComparison.Ordinal) == true)
        {
            return;
        }

        (problem.Type, problem.Detail) = problem.Status switch
        {
            StatusCodes.Status404NotFound => (WorkerProblems.TypePrefix + "no-such-route", problem.Detail ?? "There is no such route."),
            StatusCodes.Status405MethodNotAllowed => (WorkerProblems.TypePrefix + "method-not-allowed", problem.Detail ?? "The route does not take this method."),
            StatusCodes.Status413PayloadTooLarge => (WorkerProblems.TypePrefix + "body-too-large", $"The request body may be at most {RequestBodyLimit.MaxBytes} bytes."),
            StatusCodes.Status415UnsupportedMediaType => (WorkerProblems.TypePrefix + "unsupported-media-type", "Send the body as application/json."),
            _ => (problem.Type, problem.Detail),
        };
    }

    // A request the scheduler refused: the service's own type for its status, and no internal names. The detail of a
    // body that could not be bound names Quartz's contract types, so it gives way to a pointer to the route's document.
    private static void FromTheScheduler(Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        problem.Type = WorkerProblems.TypePrefix + problem.Status switch
        {
            StatusCodes.Status404NotFound => "scheduler-item-not-found",
            StatusCodes.Status409Conflict => "scheduler-conflict",
            _ => "scheduler-request-refused",
        };
        if (problem.Detail is { } detail && (detail.Contains("Quartz.", StringComparison.Ordinal) || detail.StartsWith("Failed to read parameter", StringComparison.Ordinal)))
        {
            problem.Detail = "The request body is not what this route takes: see /openapi/quartz.json.";
        }
    }
}
