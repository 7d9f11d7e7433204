using MediatR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Commands;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>The alarms operators must see (regions held by mass-failure protection, storage down) and the override.</summary>
internal static class AlarmsEndpoints
{
    public static IEndpointRouteBuilder MapAlarms(this IEndpointRouteBuilder app)
    {
        var alarms = app.MapGroup("/alarms").WithTags("Alarms");
        alarms.MapGet("/", List)
            .WithSummary("The alarms an operator must act on")
            .WithDescription("Every raised alarm (a region held by mass-failure protection, storage unavailable) with since when, and the overrides armed now.")
            .RequireAuthorization(Policies.Read)
            .Produces<AlarmsResponse>();
        alarms.MapPost("/mass-failure/override", Override)
            .WithSummary("Override mass-failure protection for a region")
            .WithDescription("Lets stale detection mark the stale workers of the region given as ?region= (every held region without it) Offline although they are more than the protection's threshold. The override lapses after WorkerFleet:Lifecycle:MassFailureOverrideTtl; the answer says who armed it and when it lapses.")
            .RequireAuthorization(Policies.Operate)
            .Produces<OverrideResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> List(IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAlarms(), cancellationToken)).ToHttp(report => TypedResults.Ok(AlarmsResponse.From(report)));

    private static async Task<IResult> Override(string? region, IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new OverrideMassFailureProtection(region), cancellationToken))
            .ToHttp(armed => TypedResults.Accepted((string?)null, OverrideResponse.From(armed)));

    public sealed record AlarmResponse(string Name, string? Region, DateTime Since, string Message, int? Stale, int? Active);

    public sealed record OverrideResponse(string? Region, DateTime ArmedAt, string ArmedBy, DateTime ExpiresAt)
    {
        public static OverrideResponse From(MassFailureOverride armed) =>
            new(armed.Region, armed.ArmedAt.UtcDateTime, armed.ArmedBy, armed.ExpiresAt.UtcDateTime);
    }

    public sealed record AlarmsResponse(IReadOnlyList<AlarmResponse> Alarms, IReadOnlyList<OverrideResponse> Overrides)
    {
        public static AlarmsResponse From(AlarmsReport report) => new(
            [.. report.Alarms.Select(a => new AlarmResponse(a.Name, a.Region, a.Since.UtcDateTime, a.Message, a.Stale, a.Active))],
            [.. report.Overrides.Select(OverrideResponse.From)]);
    }
}

/// <summary>Health "alarms": Degraded while any alarm is active, so a load balancer keeps the instance while
/// monitoring sees that something needs a person.</summary>
internal sealed class AlarmsHealthCheck(IMediator mediator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var active = (await mediator.Send(new GetAlarms(), cancellationToken)).Value.Alarms;
        return active.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(string.Join(", ", active.Select(a => a.Region is null ? a.Name : $"{a.Name} ({a.Region})")));
    }
}
