using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WorkerFleet.WebApi.Security;

/// <summary>Who may call the API, bound from <c>WorkerFleet:Security</c>. Each list may hold several keys so a key
/// can be rotated: add the new one, move callers over, remove the old one. Each key may carry a name (see
/// <see cref="AccessKey"/>).</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "WorkerFleet:Security";
    public const int MinimumKeyLength = 32;

    /// <summary>Keys for operators: status changes, unregistering any worker, token rotation, running the scheduler.</summary>
    public IReadOnlyList<AccessKey> AdminKeys { get; private set; } = [];

    /// <summary>Keys for dashboards and other readers: every GET except /health.</summary>
    public IReadOnlyList<AccessKey> ReaderKeys { get; private set; } = [];

    /// <summary>Bootstrap keys a new worker registers with.</summary>
    public IReadOnlyList<AccessKey> RegistrationKeys { get; private set; } = [];

    /// <summary>Heartbeats one worker may send per <see cref="HeartbeatRateWindow"/> before it gets 429.</summary>
    public int HeartbeatRateLimit { get; set; } = 120;

    public TimeSpan HeartbeatRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Workers one key may register per <see cref="RegistrationRateWindow"/> before it gets 429.</summary>
    public int RegistrationRateLimit { get; set; } = 1000;

    public TimeSpan RegistrationRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Refused credentials one client address may present per <see cref="FailedAuthenticationWindow"/>; past
    /// that, until the window ends, whatever that client presents is refused with 429 unless it is a configured key
    /// or, on a heartbeat, a worker token this instance already knows, and nothing it presents is looked up in the
    /// database.</summary>
    public int FailedAuthenticationLimit { get; set; } = 30;

    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Long-lived streams (<c>GET /events/stream</c> and the Quartz API's event stream) one caller may hold
    /// open at once; one more gets 429.</summary>
    public int MaxStreamsPerCaller { get; set; } = 10;

    /// <summary>How many worker tokens a heartbeat may be authenticated by without a database lookup (about 0.5 KB of
    /// memory each); 0 looks every token up.</summary>
    public int WorkerTokenCacheSize { get; set; } = 200_000;

    /// <summary>Reads the three key lists from <paramref name="section"/>, each entry either a key alone or a section
    /// with <c>Key</c> and <c>Name</c>: a shape the configuration binder does not take, so the lists are read here.</summary>
    internal void BindKeys(IConfigurationSection section)
    {
        AdminKeys = AccessKey.ListFrom(section.GetSection(nameof(AdminKeys)));
        ReaderKeys = AccessKey.ListFrom(section.GetSection(nameof(ReaderKeys)));
        RegistrationKeys = AccessKey.ListFrom(section.GetSection(nameof(RegistrationKeys)));
    }
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
        var duplicates = options.AdminKeys.Concat(options.ReaderKeys).Concat(options.RegistrationKeys)
            .Where(k => k is { Key.Length: >= SecurityOptions.MinimumKeyLength })
            .GroupBy(k => k.DisplayName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            failures.Add($"{SecurityOptions.SectionName}: each key needs a name of its own (a key listed twice has its fingerprint twice); " +
                $"more than one key is named {string.Join(", ", duplicates.Select(d => $"'{d}'"))}.");
        }

        AtLeastOne(nameof(SecurityOptions.HeartbeatRateLimit), options.HeartbeatRateLimit);
        AtLeastOne(nameof(SecurityOptions.RegistrationRateLimit), options.RegistrationRateLimit);
        AtLeastOne(nameof(SecurityOptions.FailedAuthenticationLimit), options.FailedAuthenticationLimit);
        AtLeastOne(nameof(SecurityOptions.MaxStreamsPerCaller), options.MaxStreamsPerCaller);
        Positive(nameof(SecurityOptions.HeartbeatRateWindow), options.HeartbeatRateWindow);
        Positive(nameof(SecurityOptions.RegistrationRateWindow), options.RegistrationRateWindow);
        Positive(nameof(SecurityOptions.FailedAuthenticationWindow), options.FailedAuthenticationWindow);
        if (options.WorkerTokenCacheSize < 0)
        {
            failures.Add($"{SecurityOptions.SectionName}:WorkerTokenCacheSize must be 0 or more.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Check(string setting, IReadOnlyList<AccessKey> keys)
        {
            if (keys.Count == 0 || keys.Any(k => k.Key is not { Length: >= SecurityOptions.MinimumKeyLength }))
            {
                failures.Add($"{SecurityOptions.SectionName}:{setting} must list at least one key, each of " +
                    $"{SecurityOptions.MinimumKeyLength} or more characters.");
            }

            if (keys.Any(k => k.Name is { } keyName && !AccessKey.IsValidName(keyName)))
            {
                failures.Add($"{SecurityOptions.SectionName}:{setting}: a key's Name must be 1 to {AccessKey.MaximumNameLength} letters, " +
                    "digits, '.', '_' or '-', starting with a letter or digit.");
            }
        }

        void AtLeastOne(string setting, int value)
        {
            if (value < 1)
            {
                failures.Add($"{SecurityOptions.SectionName}:{setting} must be at least 1.");
            }
        }

        void Positive(string setting, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{SecurityOptions.SectionName}:{setting} must be a positive time span.");
            }
        }
    }
}

/// <summary>The configured keys by role, held as SHA-256 hashes so every comparison takes the same time.</summary>
internal sealed class KeyRing(IOptions<SecurityOptions> options)
{
    private readonly (byte[] Hash, KeyHolder Holder)[] _keys =
    [
        .. options.Value.AdminKeys.Select(k => (Hash(k.Key), new KeyHolder(Roles.Admin, k.DisplayName))),
        .. options.Value.ReaderKeys.Select(k => (Hash(k.Key), new KeyHolder(Roles.Reader, k.DisplayName))),
        .. options.Value.RegistrationKeys.Select(k => (Hash(k.Key), new KeyHolder(Roles.Registrar, k.DisplayName))),
    ];

    /// <summary>The role and name of a presented key, or null. Compares against every key, without stopping at a match.</summary>
    public KeyHolder? HolderOf(string credential)
    {
        var presented = Hash(credential);
        KeyHolder? holder = null;
        foreach (var (hash, keyHolder) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, hash))
            {
                holder ??= keyHolder;
            }
        }

        return holder;
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

/// <summary>Who holds a configured key: its role and its name.</summary>
internal sealed record KeyHolder(string Role, string Name);
