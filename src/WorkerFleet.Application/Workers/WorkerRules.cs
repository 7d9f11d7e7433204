using FluentValidation;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers;

/// <summary>Validation rules shared by the worker use cases.</summary>
internal static class WorkerRules
{
    public static IRuleBuilderOptions<T, string> ValidWorkerId<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(WorkerId.IsValid)
            .WithMessage("id must be 1–128 characters of A–Z a–z 0–9 . _ -, start with a letter or digit, and not be 'active', 'metadata' or 'counts'.");

    public static IRuleBuilderOptions<T, string> ValidRegion<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(region => region is { Length: >= 1 and <= 64 } && !region.Any(char.IsControl))
            .WithMessage("region must be 1–64 characters with no control characters.");

    public const string CapabilityRule = "each capability must be 1–64 characters.";

    public static bool IsValidCapability(string? capability) => capability is { Length: >= 1 and <= 64 };

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
