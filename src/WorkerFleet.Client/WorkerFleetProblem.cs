using System.Globalization;
using System.Net;

namespace WorkerFleet.Client;

/// <summary>A refusal by the service: its RFC 7807 problem, and when to try again.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Type">The problem's stable type, one of <see cref="ProblemTypes"/>; null when the answer was not a
/// problem document (a proxy's error page, for example).</param>
/// <param name="Title">The problem's title, or the HTTP reason phrase.</param>
/// <param name="Detail">What the service said about this occurrence.</param>
/// <param name="Errors">Field errors of an invalid request, keyed by field; empty otherwise.</param>
/// <param name="RetryAfter">How long the service asked the caller to wait (<c>Retry-After</c>), or null.</param>
public sealed record WorkerFleetProblem(
    HttpStatusCode Status,
    string? Type,
    string? Title,
    string? Detail,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Errors,
    TimeSpan? RetryAfter)
{
    /// <summary>Whether the problem has this type.</summary>
    /// <param name="type">A type from <see cref="ProblemTypes"/>.</param>
    /// <returns>True when it has.</returns>
    public bool Is(string type) => string.Equals(Type, type, StringComparison.Ordinal);

    /// <summary>The status, type, title, detail, field errors and wait on one line, for logs and health reports.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{(int)Status} {Type ?? "(no problem type)"}");
        if (Title is not null)
        {
            text += $" {Title}";
        }

        if (Detail is not null)
        {
            text += $": {Detail}";
        }

        if (Errors.Count > 0)
        {
            text += " [" + string.Join("; ", Errors.Select(field => $"{field.Key}: {string.Join(" ", field.Value)}")) + "]";
        }

        return RetryAfter is { } wait ? string.Create(CultureInfo.InvariantCulture, $"{text} (retry after {wait.TotalSeconds:0.###} s)") : text;
    }
}
