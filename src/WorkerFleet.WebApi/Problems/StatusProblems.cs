using Microsoft.AspNetCore.Http;

namespace WorkerFleet.WebApi.Problems;

/// <summary>Gives the problems the framework writes by itself (an unknown route, a body over the limit, a wrong
/// content type) the same stable <c>type</c> scheme as the service's own.</summary>
internal static class StatusProblems
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
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
}
