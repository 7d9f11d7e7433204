using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace WorkerFleet.WebApi.Security;

/// <summary>One configured key and the name its caller is known by in logs, journal events and the Quartz API's audit
/// lines. In configuration an entry is either the key alone (<c>"AdminKeys": ["…"]</c>) or a key with a name
/// (<c>"AdminKeys": [{"Name": "ops", "Key": "…"}]</c>); without a name the key is named by its
/// <see cref="Fingerprint"/>.</summary>
public sealed partial class AccessKey
{
    public const int MaximumNameLength = 64;

    /// <summary>The secret itself: never logged, never echoed.</summary>
    public string Key { get; init; } = string.Empty;

    /// <summary>The non-secret name of the key, such as the system or person holding it; optional.</summary>
    public string? Name { get; init; }

    /// <summary>The name the key's caller is known by: <see cref="Name"/>, or else the fingerprint.</summary>
    public string DisplayName => string.IsNullOrEmpty(Name) ? Fingerprint(Key) : Name;

    /// <summary>The first 8 hex digits of the key's SHA-256: enough to tell keys apart, nothing to recover a key from.</summary>
    /// <param name="key">The key.</param>
    /// <returns>8 lowercase hex digits.</returns>
    public static string Fingerprint(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 4);

    /// <summary>Whether <paramref name="name"/> can name a key: letters, digits, '.', '_' and '-', starting with a letter
    /// or digit, so that a log line or an audit trail cannot be forged through it.</summary>
    /// <param name="name">A configured name.</param>
    /// <returns>True for a usable name.</returns>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The keys listed in <paramref name="list"/>, in order.</summary>
    internal static IReadOnlyList<AccessKey> ListFrom(IConfigurationSection list) =>
        [.. list.GetChildren().Select(entry => entry.GetChildren().Any()
            ? new AccessKey { Key = entry[nameof(Key)] ?? string.Empty, Name = entry[nameof(Name)] }
            : new AccessKey { Key = entry.Value ?? string.Empty })];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
