using System.Security.Claims;
using System.Text.Encodings.Web;
using MediatR;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.Security;

/// <summary>Reads <c>Authorization: Bearer &lt;credential&gt;</c>: a configured key gives its role and name, a worker
/// token names its worker. Every refused credential counts against its client's <see cref="FailedAuthentications"/>
/// budget; a client over it gets 429 for anything but a known credential, without a database lookup. Nothing of the
/// credential is ever logged or echoed.</summary>
internal sealed class CredentialAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyRing keys,
    WorkerTokenCache tokens,
    FailedAuthentications failures,
    IMediator mediator,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private const string StorageUnavailableItem = "workerfleet:storage-unavailable";
    private const string ThrottledItem = "workerfleet:failed-authentications-throttled";

    /// <summary>The presented bearer credential, or null when the request has none in the expected shape.</summary>
    public static string? BearerOf(HttpRequest request)
    {
        var values = request.Headers.Authorization;
        if (values.Count != 1 || values[0] is not { Length: > 7 and <= 1024 } header
            || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var credential = header[7..].Trim();
        return credential.Length == 0 || credential.Any(char.IsControl) ? null : credential;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var credential = BearerOf(Request);
        if (credential is null)
        {
            return Refuse("The Authorization header is not 'Bearer <credential>'.");
        }

        if (keys.HolderOf(credential) is { } key)
        {
            return Success(new Claim(ClaimTypes.Role, key.Role), new Claim(ClaimTypes.Name, HttpCaller.NameOf(key)));
        }

        // Every token this service issues has exactly this shape: anything else is refused without hashing or a lookup.
        if (!WorkerToken.LooksLikeToken(credential))
        {
            return Refuse("The credential is not valid.");
        }

        var tokenHash = WorkerToken.HashOf(credential);
        if (Context.GetEndpoint()?.Metadata.GetMetadata<TokenCheckedByWrite>() is not null && tokens.WorkerOf(tokenHash) is { } known)
        {
            return WorkerSuccess(known);
        }

        if (failures.IsThrottled(FailedAuthentications.ClientOf(Context), out var wait))
        {
            return Throttled(wait);
        }

        var worker = await mediator.Send(new IdentifyWorker(credential), Context.RequestAborted);
        if (worker.Error is StorageUnavailable)
        {
            Context.Items[StorageUnavailableItem] = true;
            return AuthenticateResult.NoResult();
        }

        if (!worker.IsSuccess)
        {
            return Refuse("The credential is not valid.");
        }

        tokens.Remember(tokenHash, worker.Value.Value);
        return WorkerSuccess(worker.Value.Value);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(StorageUnavailableItem))
        {
            return new StorageUnavailable("the database did not answer").ToProblem().ExecuteAsync(Context);
        }

        if (Context.Items[ThrottledItem] is TimeSpan retryAfter)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = WorkerProblems.RetryAfterHeader(retryAfter);
            return WriteAsync(WorkerProblems.TooManyFailedAuthentications());
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers[HeaderNames.WWWAuthenticate] = Request.Headers.Authorization.Count == 0
            ? "Bearer realm=\"workerfleet\""
            : "Bearer realm=\"workerfleet\", error=\"invalid_token\"";
        return WriteAsync(WorkerProblems.Unauthorized());
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteAsync(WorkerProblems.Forbidden());
    }

    private AuthenticateResult Refuse(string reason)
    {
        var client = FailedAuthentications.ClientOf(Context);
        if (!failures.TryCountFailure(client, out var wait))
        {
            return Throttled(wait);
        }

        // Said once, by the refusal that spends the client's last permit of the window.
        if (failures.IsThrottled(client, out wait))
        {
            FailedAuthentications.Log.Throttling(Logger, client, wait);
        }

        return AuthenticateResult.Fail(reason);
    }

    private AuthenticateResult Throttled(TimeSpan retryAfter)
    {
        Context.Items[ThrottledItem] = retryAfter;
        return AuthenticateResult.Fail("Too many refused credentials from this client.");
    }

    private static AuthenticateResult WorkerSuccess(string workerId) =>
        Success(new Claim(Roles.WorkerClaim, workerId), new Claim(ClaimTypes.Name, HttpCaller.NameOfWorker(workerId)));

    // The identity's name is the caller's name ("admin key ops", "worker gpu-7"), so what reads User.Identity.Name, such
    // as the Quartz HTTP API's audit lines, names the caller instead of "(anonymous)".
    private static AuthenticateResult Success(params Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));

    private Task WriteAsync(ProblemDetails problem) =>
        problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }).AsTask();
}
