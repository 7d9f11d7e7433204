using Microsoft.Extensions.Options;

namespace WorkerFleet.WebApi.Security;

/// <summary>Counts refused credentials per client address in <see cref="FixedWindows"/>, so that guessing keys or tokens is slow and, once a client is over its budget, costs no database lookup. A client's
/// failures never spend another client's budget.</summary>
internal sealed partial class FailedAuthentications(IOptions<SecurityOptions> options, TimeProvider clock)
{
    private readonly FixedWindows _failures = new(clock, options.Value.FailedAuthenticationLimit, options.Value.FailedAuthenticationWindow);

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
    public bool IsThrottled(string client, out TimeSpan retryAfter) => !_failures.TryTake(client, 0, out retryAfter);

    /// <summary>Counts one refused credential; false, with the wait, when it was one more than the client may have.</summary>
    public bool TryCountFailure(string client, out TimeSpan retryAfter) => _failures.TryTake(client, 1, out retryAfter);

    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Client {Client} reached the limit of refused credentials; its unknown credentials are refused with 429 for {RetryAfter}")]
        public static partial void Throttling(ILogger logger, string client, TimeSpan retryAfter);
    }
}
