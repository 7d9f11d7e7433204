using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.Security;

internal static class SecurityRegistration
{
    /// <summary>Keys and worker tokens, one policy per kind of caller, every endpoint closed unless it says otherwise,
    /// a per-worker heartbeat budget, a per-key registration budget (<see cref="RateBudgets"/>), a per-client budget
    /// of refused credentials and a per-caller cap on open streams.</summary>
    public static IServiceCollection AddWorkerFleetSecurity(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>()
            .BindConfiguration(SecurityOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.BindKeys(configuration.GetSection(SecurityOptions.SectionName)))
            .ValidateOnStart();
        // ASP.NET Core logs every refused credential, challenge and forbidden answer at Information under the
        // handler's category: three lines per refused request, which a 401 storm turns into a flood.
        services.AddLogging(logging => logging.AddFilter(typeof(CredentialAuthenticationHandler).FullName, LogLevel.Warning));
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<KeyRing>();
        services.AddSingleton<WorkerTokenCache>();
        services.AddHostedService<WorkerTokenCacheWarmup>();
        services.AddSingleton<FailedAuthentications>();
        services.AddHttpContextAccessor();
        services.AddScoped<ICaller, HttpCaller>();

        services.AddAuthentication(CredentialAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, CredentialAuthenticationHandler>(
                CredentialAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Register, policy => policy.RequireRole(Roles.Registrar, Roles.Admin))
            .AddPolicy(Policies.Read, policy => policy.RequireRole(Roles.Reader, Roles.Admin))
            .AddPolicy(Policies.Operate, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.WorkerItself, policy => policy.RequireAssertion(IsTheRoutesWorker))
            .AddPolicy(Policies.OperatorOrWorkerItself, policy => policy.RequireAssertion(
                context => context.User.IsInRole(Roles.Admin) || IsTheRoutesWorker(context)))
            .AddPolicy(Policies.SchedulerApi, policy => policy.RequireAssertion(context =>
                context.User.IsInRole(Roles.Admin) || (context.User.IsInRole(Roles.Reader) && IsRead(context))));

        services.AddSingleton<RateBudgets>();
        services.AddOptions<RateLimiterOptions>().Configure<RateBudgets>((limiter, budgets) => limiter.GlobalLimiter = budgets);
        services.AddRateLimiter(limiter =>
        {
            // Partitioned by the caller's name, and held for as long as the stream is open.
            limiter.AddPolicy(Policies.Streams, http => LongLivedStream.IsStream(http) && http.User.Identity?.Name is { } caller
                ? RateLimitPartition.GetConcurrencyLimiter(caller, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = http.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.MaxStreamsPerCaller,
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>Logs every request that may change something, with the caller's name and the answer (<see cref="AuditLog"/>).</summary>
    public static IApplicationBuilder UseAuditLog(this IApplicationBuilder app) => app.UseMiddleware<AuditLog>();

    private static bool IsTheRoutesWorker(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http
        && context.User.FindFirstValue(Roles.WorkerClaim) is { } worker
        && string.Equals(http.GetRouteValue("id") as string, worker, StringComparison.Ordinal);

    /// <summary>The Quartz routes that read although they are POSTs: they take a set of keys in the body.</summary>
    public static readonly IReadOnlySet<string> QuartzReadsByPost = new HashSet<string>(StringComparer.Ordinal)
    {
        "FetchJobs", "FetchTriggers", "FetchJobRunStatuses",
    };

    /// <summary>Whether the Quartz route only reads: a GET, or one of the known fetches. Any other route, including one
    /// a later Quartz adds, needs the admin key until it is listed here.</summary>
    private static bool IsRead(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http
        && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>() is { } name && QuartzReadsByPost.Contains(name.EndpointName));

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = WorkerProblems.RetryAfterHeader(retryAfter);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = http.GetEndpoint()?.Metadata.GetMetadata<RateBudget>()?.Problem() ?? WorkerProblems.TooManyStreams(),
        });
    }
}
