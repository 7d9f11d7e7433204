using System.Security.Claims;
using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.WebApi.Security;

/// <summary>The caller of the current request, named by the credential it authenticated with: the key's role
/// ("admin key") or the worker whose token it holds ("worker gpu-7"). Work outside a request (a scheduled job) is the
/// host's own.</summary>
internal sealed class HttpCaller(IHttpContextAccessor http) : ICaller
{
    public string Name => http.HttpContext?.User is { } user ? NameOf(user) : "host";

    public static string NameOf(ClaimsPrincipal user) =>
        user.FindFirstValue(Roles.WorkerClaim) is { } worker ? $"worker {worker}"
        : user.FindFirstValue(ClaimTypes.Role) is { } role ? $"{(role == Roles.Registrar ? "registration" : role)} key"
        : "anonymous";
}
