using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>GET /me: what the presented credential may do, so a client such as the dashboard shows only the
/// actions its caller is allowed, and the service's clock, so the client can say "12 s ago" in the service's time
/// whatever its own clock says. It names roles only and never echoes the credential.</summary>
internal static class CallerEndpoints
{
    public static IEndpointRouteBuilder MapCaller(this IEndpointRouteBuilder app)
    {
        app.MapGet("/me", Describe)
            .WithTags("Caller")
            .WithSummary("Who the credential is")
            .WithDescription("The roles and name of the presented credential, the worker a worker token belongs to, and the service's clock (the dashboard counts relative times on it).")
            .Produces<CallerResponse>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static Ok<CallerResponse> Describe(ClaimsPrincipal user, TimeProvider clock) =>
        TypedResults.Ok(new CallerResponse(
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList(),
            user.FindFirstValue(Roles.WorkerClaim),
            user.Identity?.Name ?? string.Empty,
            clock.GetUtcNow().UtcDateTime));

    /// <param name="Roles">The caller's roles: admin, reader or registrar; none for a worker token.</param>
    /// <param name="WorkerId">The worker a worker token belongs to; null for a key.</param>
    /// <param name="Name">The caller's name, as audit lines and journal events give it: "admin key ops" for a key named
    /// ops (a key without a name is named by its fingerprint), "worker gpu-7" for a worker's token.</param>
    /// <param name="ServerTime">The service's current time (UTC), the clock every timestamp it returns is read from.</param>
    public sealed record CallerResponse(IReadOnlyList<string> Roles, string? WorkerId, string Name, DateTime ServerTime);
}
