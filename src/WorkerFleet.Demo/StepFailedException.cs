using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Demo;

/// <summary>A request answered with an error. Thrown rather than exiting on the spot so the temporary database
/// is still deleted on the way out.</summary>
internal sealed class StepFailedException(string request, WorkerError error) : Exception(Describe(request, error))
{
    private static string Describe(string request, WorkerError error)
    {
        var message = $"{request} failed with {error.GetType().Name}: {error.Message}";
        return error is InvalidConfiguration invalid
            ? message + string.Concat(invalid.Errors.Select(field => $"{Environment.NewLine}  {field.Key}: {string.Join(" ", field.Value)}"))
            : message;
    }
}
