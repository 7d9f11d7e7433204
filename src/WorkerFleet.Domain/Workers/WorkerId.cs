using System.Diagnostics.CodeAnalysis;

namespace WorkerFleet.Domain.Workers;

/// <summary>The identity a worker registers under: 1–128 characters of letters, digits, '.', '_' and '-',
/// starting with a letter or digit, and not one of the reserved route words.</summary>
public readonly record struct WorkerId
{
    /// <summary>The longest id, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>Words that are routes under /workers, so they can never name a worker.</summary>
    public static readonly IReadOnlySet<string> ReservedWords =
        new HashSet<string>(["active", "metadata", "counts"], StringComparer.OrdinalIgnoreCase);

    private WorkerId(string value) => Value = value;

    /// <summary>The id as registered (case-sensitive).</summary>
    public string Value { get; }

    /// <summary>Whether <paramref name="value"/> is a well-formed, unreserved worker id.</summary>
    /// <param name="value">The candidate id.</param>
    /// <returns>True when <see cref="From"/> accepts it.</returns>
    public static bool IsValid(string? value) =>
        IsValidPrefix(value)
        && char.IsAsciiLetterOrDigit(value[0])
        && !ReservedWords.Contains(value);

    /// <summary>Whether <paramref name="value"/> is 1–<see cref="MaxLength"/> characters of the id alphabet: what a
    /// search by id prefix accepts. Unlike an id, it may start with any of them and be a reserved word.</summary>
    /// <param name="value">The candidate prefix.</param>
    /// <returns>True when it is made of id characters only and no longer than an id.</returns>
    public static bool IsValidPrefix([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Creates an id from a value already checked with <see cref="IsValid"/>.</summary>
    /// <param name="value">A valid id.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The value is not a valid id.</exception>
    public static WorkerId From(string value) =>
        IsValid(value) ? new WorkerId(value) : throw new ArgumentException($"'{value}' is not a valid worker id.", nameof(value));

    /// <summary>The id's value.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;
}
