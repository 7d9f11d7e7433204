namespace WorkerFleet.Domain.Workers;

/// <summary>The identity a worker registers under: 1–128 characters of letters, digits, '.', '_' and '-',
/// starting with a letter or digit, and not one of the reserved route words.</summary>
public readonly record struct WorkerId
{
    public const int MaxLength = 128;

    /// <summary>Words that are routes under /workers, so they can never name a worker.</summary>
    public static readonly IReadOnlySet<string> ReservedWords =
        new HashSet<string>(["active", "metadata"], StringComparer.OrdinalIgnoreCase);

    private WorkerId(string value) => Value = value;

    public string Value { get; }

    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength }
        && char.IsAsciiLetterOrDigit(value[0])
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && !ReservedWords.Contains(value);

    /// <summary>Creates an id from a value already checked with <see cref="IsValid"/>.</summary>
    public static WorkerId From(string value) =>
        IsValid(value) ? new WorkerId(value) : throw new ArgumentException($"'{value}' is not a valid worker id.", nameof(value));

    public override string ToString() => Value;
}
