using System.Security.Claims;
using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.WebApi.Security;

/// <summary>The caller of the current request, named by the credential it authenticated with: the key's role
/// ("admin key") or the worker whose token it holds ("worker gpu-7"). Work outside a request (a scheduled job) is the
/// host's own.</summary>
internal sealed class HttpCaller(IHttpContextAccessor http) : ICaller
{
    public string Name => http.HttpContext is { } context ? context.User.Identity?.Name ?? "anonymous" : "host";

    /// <summary>The name of a caller authenticated by <paramref name="credential"/> (a role or a worker claim), which
    /// <see cref="CredentialAuthenticationHandler"/> gives its identity.</summary>
    public static string NameOf(Claim credential) =>
        credential.Type == Roles.WorkerClaim ? $"worker {credential.Value}"
        : $"{(credential.Value == Roles.Registrar ? "registration" : credential.Value)} key";
}
