using FluentValidation;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers;

/// <summary>Validation rules shared by the worker use cases.</summary>
internal static class WorkerRules
{
    public static IRuleBuilderOptions<T, string> ValidWorkerId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(WorkerId.IsValid)
            .WithMessage("id must be 1–128 characters of A–Z a–z 0–9 . _ -, start with a letter or digit, and not be 'active', 'metadata' or 'counts'.");

    /// <summary>What every stored free-text value must be, on both providers alike: no control characters (NUL, which
    /// PostgreSQL cannot store, among them) and no lone surrogate halves (which UTF-8 cannot encode, so a database would
    /// keep a replacement character instead of what was sent).</summary>
    public static bool IsStorableText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    public const string StorableTextRule = "no control characters or unpaired surrogates";

    public static IRuleBuilderOptions<T, string> ValidRegion<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(region => region is { Length: >= 1 and <= 64 } && IsStorableText(region))
            .WithMessage($"region must be 1–64 characters with {StorableTextRule}.");

    public const string CapabilityRule = $"each capability must be 1–64 characters with {StorableTextRule}.";

    public static bool IsValidCapability(string? capability) => capability is { Length: >= 1 and <= 64 } && IsStorableText(capability);

    public static IRuleBuilderOptions<T, string> ValidCapability<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(IsValidCapability).WithMessage(CapabilityRule);

    public static IRuleBuilderOptions<T, string?> ValidIdPrefix<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(prefix => prefix is null || WorkerId.IsValidPrefix(prefix))
            .WithMessage("idPrefix must be 1–128 characters of A–Z a–z 0–9 . _ -.");

    public static IRuleBuilderOptions<T, string> ValidTokenShape<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(WorkerToken.LooksLikeToken).WithMessage("token is not a worker token.");

    public static IRuleBuilderOptions<T, string?> ValidStatus<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(status => status is null || TryParseStatus(status, out _))
            .WithMessage($"status must be one of {string.Join(", ", Enum.GetNames<WorkerStatus>())}.");

    /// <summary>Parses a status name in any case; numbers and padded names are not status names.</summary>
    public static bool TryParseStatus(string value, out WorkerStatus status)
    {
        var name = Enum.GetNames<WorkerStatus>().FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase));
        status = name is null ? default : Enum.Parse<WorkerStatus>(name);
        return name is not null;
    }

    public static WorkerStatus? ParseOptionalStatus(string? value) =>
        value is not null && TryParseStatus(value, out var status) ? status : null;
}
