using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.Security;

/// <summary>Endpoint metadata: the caller's budget the endpoint's requests spend, in <see cref="FixedWindows"/>.</summary>
internal sealed class RateBudget
{
    /// <summary>Per authenticated worker, so nobody can spend another worker's budget.</summary>
    public static readonly RateBudget Heartbeats = new(
        http => http.User.FindFirstValue(Roles.WorkerClaim), WorkerProblems.TooManyHeartbeats);

    /// <summary>Per key: each registration (or admin) key has a budget of its own.</summary>
    public static readonly RateBudget Registrations = new(http => http.User.Identity?.Name, WorkerProblems.TooManyRegistrations);

    private RateBudget(Func<HttpContext, string?> partitionOf, Func<ProblemDetails> problem)
    {
        PartitionOf = partitionOf;
        Problem = problem;
    }

    /// <summary>Whose budget a request spends; null spends none.</summary>
    public Func<HttpContext, string?> PartitionOf { get; }

    /// <summary>The answer to a request over the budget.</summary>
    public Func<ProblemDetails> Problem { get; }
}

/// <summary>The rate limiter middleware's global limiter: a request to an endpoint with a <see cref="RateBudget"/>
/// takes a permit of its caller's budget, any other request passes. Refused requests get 429 with Retry-After, the
/// time until the caller's window ends.</summary>
internal sealed class RateBudgets(IOptions<SecurityOptions> options, TimeProvider clock) : PartitionedRateLimiter<HttpContext>
{
    private static readonly RateLimitLease Granted = new Lease(null);

    private readonly Dictionary<RateBudget, FixedWindows> _budgets = new()
    {
        [RateBudget.Heartbeats] = new(clock, options.Value.HeartbeatRateLimit, options.Value.HeartbeatRateWindow),
        [RateBudget.Registrations] = new(clock, options.Value.RegistrationRateLimit, options.Value.RegistrationRateWindow),
    };

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (resource.GetEndpoint()?.Metadata.GetMetadata<RateBudget>() is not { } budget || budget.PartitionOf(resource) is not { } partition)
        {
            return Granted;
        }

        return _budgets[budget].TryTake(partition, permitCount, out var retryAfter) ? Granted : new Lease(retryAfter);
    }

    // Nothing waits for a permit: a caller over its budget is told when to come back.
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    /// <summary>Granted without a wait, or refused with one.</summary>
    private sealed class Lease(TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
