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

/// <summary>Reads <c>Authorization: Bearer &lt;credential&gt;</c>: a configured key gives its role, a worker token
/// names its worker. Nothing of the credential is ever logged or echoed.</summary>
internal sealed class CredentialAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KeyRing keys,
    WorkerTokenCache tokens,
    IMediator mediator,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    private const string StorageUnavailableItem = "workerfleet:storage-unavailable";

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
            return AuthenticateResult.Fail("The Authorization header is not 'Bearer <credential>'.");
        }

        if (keys.RoleOf(credential) is { } role)
        {
            return Success(new Claim(ClaimTypes.Role, role));
        }

        if (!WorkerToken.LooksLikeToken(credential))
        {
            return AuthenticateResult.Fail("The credential is not valid.");
        }

        var tokenHash = WorkerToken.HashOf(credential);
        if (Context.GetEndpoint()?.Metadata.GetMetadata<TokenCheckedByWrite>() is not null && tokens.WorkerOf(tokenHash) is { } known)
        {
            return Success(new Claim(Roles.WorkerClaim, known));
        }

        var worker = await mediator.Send(new IdentifyWorker(credential), Context.RequestAborted);
        if (worker.Error is StorageUnavailable)
        {
            Context.Items[StorageUnavailableItem] = true;
            return AuthenticateResult.NoResult();
        }

        if (!worker.IsSuccess)
        {
            return AuthenticateResult.Fail("The credential is not valid.");
        }

        tokens.Remember(tokenHash, worker.Value.Value);
        return Success(new Claim(Roles.WorkerClaim, worker.Value.Value));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(StorageUnavailableItem))
        {
            return new StorageUnavailable("the database did not answer").ToProblem().ExecuteAsync(Context);
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

    // The identity's name is the caller's name ("admin key", "worker gpu-7"), so what reads User.Identity.Name, such as
    // the Quartz HTTP API's audit lines, names the caller instead of "(anonymous)".
    private static AuthenticateResult Success(Claim claim)
    {
        var identity = new ClaimsIdentity([claim, new Claim(ClaimTypes.Name, HttpCaller.NameOf(claim))], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private Task WriteAsync(ProblemDetails problem) =>
        problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }).AsTask();
}
