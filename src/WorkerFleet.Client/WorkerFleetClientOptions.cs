using Microsoft.Extensions.Options;

namespace WorkerFleet.Client;

/// <summary>Where the WorkerFleet service is and which key the client calls it with.</summary>
public sealed class WorkerFleetClientOptions
{
    /// <summary>The service's address, absolute http or https, such as <c>https://workerfleet.internal/</c>. Required.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The key sent as <c>Authorization: Bearer …</c> on the routes that take a key: a registration key for
    /// <see cref="IWorkerFleetClient.RegisterAsync"/>, a reader key for the reads, an admin key for the changes.
    /// Worker routes (heartbeat, unregistering itself) send the worker's own token instead.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one request may take before it throws <see cref="TaskCanceledException"/>. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>Checks the settings the client and the agent share, with messages that name the setting.</summary>
internal static class ConnectionSettings
{
    public static IEnumerable<string> ProblemsOf(string owner, Uri? baseAddress, TimeSpan timeout)
    {
        if (baseAddress is null)
        {
            yield return $"{owner}.BaseAddress is required: the WorkerFleet service's address, such as https://workerfleet.internal/.";
        }
        else if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{owner}.BaseAddress must be an absolute http or https address; '{baseAddress}' is not.";
        }
        else if (baseAddress.Query.Length > 0 || baseAddress.Fragment.Length > 0)
        {
            yield return $"{owner}.BaseAddress must not have a query or fragment; '{baseAddress}' has.";
        }

        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            yield return $"{owner}.Timeout must be positive; it is {timeout}.";
        }
    }

    /// <summary>The base with a trailing slash, so relative routes keep a path prefix such as <c>/fleet/</c>.</summary>
    public static Uri Normalized(Uri baseAddress) =>
        baseAddress.AbsolutePath.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    public static ValidateOptionsResult ResultOf(IEnumerable<string> problems)
    {
        var failures = problems.ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

internal sealed class WorkerFleetClientOptionsValidator : IValidateOptions<WorkerFleetClientOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerFleetClientOptions options) =>
        ConnectionSettings.ResultOf(ConnectionSettings.ProblemsOf(nameof(WorkerFleetClientOptions), options.BaseAddress, options.Timeout));
}
