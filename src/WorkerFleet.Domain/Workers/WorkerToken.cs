using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace WorkerFleet.Domain.Workers;

/// <summary>The secret a worker proves its identity with: 256 random bits, shown once when issued. Only its
/// <see cref="Hash"/> is stored, so a copy of the database cannot act as any worker.</summary>
public sealed record WorkerToken
{
    /// <summary>Every token starts with this, so it is recognisable in a secret scanner and never mistaken for a key.</summary>
    public const string Prefix = "wft_";

    /// <summary>The longest string ever considered as a token; anything longer is refused without hashing.</summary>
    public const int MaxLength = 128;

    private WorkerToken(string value) => Value = value;

    /// <summary>The token itself; give it to the worker and forget it.</summary>
    public string Value { get; }

    /// <summary>The stored form of this token.</summary>
    public string Hash => HashOf(Value);

    /// <summary>Issues a new random token.</summary>
    /// <returns>The token.</returns>
    public static WorkerToken Issue() => new(Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));

    /// <summary>The stored form of a presented token: lowercase hex SHA-256. A token has 256 bits of entropy, so a
    /// fast hash is enough: there is nothing to guess.</summary>
    /// <param name="token">The presented token.</param>
    /// <returns>64 hex characters.</returns>
    public static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Never the token: records and logs that print it show only that a token is there.</summary>
    /// <returns><c>wft_***</c>.</returns>
    public override string ToString() => Redacted;

    /// <summary>What a printed token reads as.</summary>
    public const string Redacted = Prefix + "***";

    /// <summary>Whether <paramref name="value"/> has the shape of every token <see cref="Issue"/> gives: the prefix and
    /// the 43 base64url characters of 32 bytes. Only such values are hashed and looked up; anything else cannot be a
    /// token.</summary>
    /// <param name="value">The presented credential.</param>
    /// <returns>True for a value of exactly that shape.</returns>
    public static bool LooksLikeToken(string? value) =>
        value is { Length: IssuedLength } && value.StartsWith(Prefix, StringComparison.Ordinal)
        && value.AsSpan(Prefix.Length).IndexOfAnyExcept(Base64UrlCharacters) < 0;

    private const int IssuedLength = 47;

    private static readonly System.Buffers.SearchValues<char> Base64UrlCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
}
