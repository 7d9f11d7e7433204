using FluentValidation;

namespace WorkerFleet.Application.Common.Paging;

/// <summary>The limit and cursor rules every paged query shares.</summary>
internal static class PagingRules
{
    public static IRuleBuilderOptions<T, int?> ValidLimit<T>(this IRuleBuilder<T, int?> rule, int max = PageCursor.MaxLimit) =>
        rule.InclusiveBetween(1, max).WithMessage($"limit must be between 1 and {max}.");

    public static IRuleBuilderOptions<T, string?> ValidCursor<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(cursor => PageCursor.TryDecode(cursor, out _)).WithMessage("cursor is not one this service issued.");
}
