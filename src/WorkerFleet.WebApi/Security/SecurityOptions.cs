using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WorkerFleet.WebApi.Security;

/// <summary>Who may call the API, bound from <c>WorkerFleet:Security</c>. Each list may hold several keys so a key
/// can be rotated: add the new one, move callers over, remove the old one.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "WorkerFleet:Security";
    public const int MinimumKeyLength = 32;

    /// <summary>Keys for operators: status changes, unregistering any worker, token rotation, running the scheduler.</summary>
    public List<string> AdminKeys { get; set; } = [];

    /// <summary>Keys for dashboards and other readers: every GET except /health.</summary>
    public List<string> ReaderKeys { get; set; } = [];

    /// <summary>Bootstrap keys a new worker registers with.</summary>
    public List<string> RegistrationKeys { get; set; } = [];

    /// <summary>Heartbeats one worker may send per <see cref="HeartbeatRateWindow"/> before it gets 429.</summary>
    public int HeartbeatRateLimit { get; set; } = 120;

    public TimeSpan HeartbeatRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many worker tokens a heartbeat may be authenticated by without a database lookup (about 0.5 KB of
    /// memory each); 0 looks every token up.</summary>
    public int WorkerTokenCacheSize { get; set; } = 200_000;
}

/// <summary>Fails start-up, naming the setting, when a key list is empty or holds a short key: the service never
/// runs open by accident.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        var failures = new List<string>();
        Check(nameof(SecurityOptions.AdminKeys), options.AdminKeys);
        Check(nameof(SecurityOptions.ReaderKeys), options.ReaderKeys);
        Check(nameof(SecurityOptions.RegistrationKeys), options.RegistrationKeys);
        if (options.HeartbeatRateLimit < 1)
        {
            failures.Add($"{SecurityOptions.SectionName}:HeartbeatRateLimit must be at least 1.");
        }

        if (options.WorkerTokenCacheSize < 0)
        {
            failures.Add($"{SecurityOptions.SectionName}:WorkerTokenCacheSize must be 0 or more.");
        }

        if (options.HeartbeatRateWindow <= TimeSpan.Zero)
        {
            failures.Add($"{SecurityOptions.SectionName}:HeartbeatRateWindow must be a positive time span.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(string setting, List<string> keys)
        {
            if (keys.Count == 0 || keys.Any(k => k is null || k.Length < SecurityOptions.MinimumKeyLength))
            {
                failures.Add($"{SecurityOptions.SectionName}:{setting} must list at least one key, each of " +
                    $"{SecurityOptions.MinimumKeyLength} or more characters.");
            }
        }
    }
}

/// <summary>The configured keys by role, held as SHA-256 hashes so every comparison takes the same time.</summary>
internal sealed class KeyRing(IOptions<SecurityOptions> options)
{
    private readonly (byte[] Hash, string Role)[] _keys =
    [
        .. options.Value.AdminKeys.Select(k => (Hash(k), Roles.Admin)),
        .. options.Value.ReaderKeys.Select(k => (Hash(k), Roles.Reader)),
        .. options.Value.RegistrationKeys.Select(k => (Hash(k), Roles.Registrar)),
    ];

    /// <summary>The role of a presented key, or null. Compares against every key, without stopping at a match.</summary>
    public string? RoleOf(string credential)
    {
        var presented = Hash(credential);
        string? role = null;
        foreach (var (hash, keyRole) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                role ??= keyRole;
            }
        }

        return role;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
