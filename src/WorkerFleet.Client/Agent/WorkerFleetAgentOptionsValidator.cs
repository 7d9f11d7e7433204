using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace WorkerFleet.Client.Agent;

/// <summary>Refuses, at start, settings with which the agent could never heartbeat, naming each setting. Whether a
/// <see cref="WorkerFleetAgentOptions.TokenPath"/> actually holds a token is known only from the token store, which
/// the agent reads as it starts.</summary>
internal sealed partial class WorkerFleetAgentOptionsValidator : IValidateOptions<WorkerFleetAgentOptions>
{
    private const string Owner = nameof(WorkerFleetAgentOptions);

    public ValidateOptionsResult Validate(string? name, WorkerFleetAgentOptions options) =>
        ConnectionSettings.ResultOf(ConnectionSettings.ProblemsOf(Owner, options.BaseAddress, options.Timeout).Concat(ProblemsOf(options)));

    private static IEnumerable<string> ProblemsOf(WorkerFleetAgentOptions options)
    {
        if (!WorkerIdPattern().IsMatch(options.WorkerId))
        {
            yield return $"{Owner}.WorkerId must be 1–128 characters of A–Z a–z 0–9 . _ -, starting with a letter or digit; '{options.WorkerId}' is not.";
        }

        if (IsEmpty(options.Token) && IsEmpty(options.TokenPath) && IsEmpty(options.RegistrationKey))
        {
            yield return $"{Owner} needs a token or a registration key: set Token, a TokenPath that holds the worker's token, or RegistrationKey.";
        }

        if (!IsEmpty(options.RegistrationKey))
        {
            if (options.Region is not { Length: >= 1 and <= 64 })
            {
                yield return $"{Owner}.Region (1–64 characters) is required to register with the RegistrationKey.";
            }

            if (options.Capacity is < 1 or > 100_000)
            {
                yield return $"{Owner}.Capacity must be 1–100000 to register with the RegistrationKey; it is {options.Capacity}.";
            }
        }

        if (options.MinimumBackoff <= TimeSpan.Zero)
        {
            yield return $"{Owner}.MinimumBackoff must be positive; it is {options.MinimumBackoff}.";
        }

        if (options.MaximumBackoff < options.MinimumBackoff)
        {
            yield return $"{Owner}.MaximumBackoff ({options.MaximumBackoff}) must not be shorter than MinimumBackoff ({options.MinimumBackoff}).";
        }
    }

    private static bool IsEmpty(string? value) => string.IsNullOrWhiteSpace(value);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex WorkerIdPattern();
}
