using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WorkerFleet.WebApi.Security;

/// <summary>Counts refused credentials per client address in fixed windows (ASP.NET Core's rate limiter primitives),
/// so that guessing keys or tokens is slow and, once a client is over its budget, costs no database lookup. A client's
/// failures never spend another client's budget.</summary>
internal sealed partial class FailedAuthentications(IOptions<SecurityOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.FailedAuthenticationLimit,
            Window = options.Value.FailedAuthenticationWindow,
            QueueLimit = 0,
        }));

    /// <summary>The partition a request's failures count in: the address of the client as the host sees it (behind a
    /// proxy, the address forwarded headers give when forwarded headers are enabled), an IPv4 client the same whether
    /// it came in on an IPv4 or a dual-stack socket.</summary>
    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        var address => address.ToString(),
    };

    /// <summary>Whether the client has no refusals left in this window; if so, how long until it has.</summary>
    public bool IsThrottled(string client, out TimeSpan retryAfter) => IsRefused(_failures.AttemptAcquire(client, 0), out retryAfter);

    /// <summary>Counts one refused credential; false, with the wait, when it was one more than the client may have.</summary>
    public bool TryCountFailure(string client, out TimeSpan retryAfter) => !IsRefused(_failures.AttemptAcquire(client), out retryAfter);

    public void Dispose() => _failures.Dispose();

    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Client {Client} reached the limit of refused credentials; its unknown credentials are refused with 429 for {RetryAfter}")]
        public static partial void Throttling(ILogger logger, string client, TimeSpan retryAfter);
    }

    private static bool IsRefused(RateLimitLease lease, out TimeSpan retryAfter)
    {
        using (lease)
        {
            retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            return !lease.IsAcquired;
        }
    }
}
