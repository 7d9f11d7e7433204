using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace WorkerFleet.WebApi.Security;

/// <summary>Which worker a token hash belonged to when it was last looked up. Only endpoints marked
/// <see cref="TokenCheckedByWrite"/> trust it: their write checks the token again, so a stale entry (a token rotated
/// out on another instance) costs one refused write, after which the endpoint forgets it.</summary>
internal sealed class WorkerTokenCache(IOptions<SecurityOptions> options) : IDisposable
{
    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) };

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = options.Value.WorkerTokenCacheSize });

    public string? WorkerOf(string tokenHash) => _cache.TryGetValue(tokenHash, out string? workerId) ? workerId : null;

    public void Remember(string tokenHash, string workerId) => _cache.Set(tokenHash, workerId, Entry);

    public void Forget(string tokenHash) => _cache.Remove(tokenHash);

    public void Dispose() => _cache.Dispose();
}

/// <summary>Endpoint metadata: the endpoint's own write checks the worker token in the same statement, so
/// authentication may take the worker from <see cref="WorkerTokenCache"/> instead of asking the database.</summary>
internal sealed class TokenCheckedByWrite
{
    public static readonly TokenCheckedByWrite Instance = new();

    private TokenCheckedByWrite()
    {
    }
}
