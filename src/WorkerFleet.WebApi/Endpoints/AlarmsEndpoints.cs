using MediatR;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Commands;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>The alarms operators must see (mass-failure protection holding, storage down) and the override.</summary>
internal static class AlarmsEndpoints
{
    public static IEndpointRouteBuilder MapAlarms(this IEndpointRouteBuilder app)
    {
        var alarms = app.MapGroup("/alarms").WithTags("Alarms");
        alarms.MapGet("/", List)
            .RequireAuthorization(Policies.Read)
            .Produces<AlarmsResponse>();
        alarms.MapPost("/mass-failure/override", Override)
            .RequireAuthorization(Policies.Operate)
            .Produces(StatusCodes.Status202Accepted);
        return app;
    }

    private static async Task<IResult> List(IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new GetAlarms(), cancellationToken)).ToHttp(active => TypedResults.Ok(AlarmsResponse.From(active)));

    private static async Task<IResult> Override(IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new OverrideMassFailureProtection(), cancellationToken)).ToHttp(_ => TypedResults.Accepted((string?)null));

    public sealed record AlarmResponse(string Name, DateTime Since, string Message);

    public sealed record AlarmsResponse(IReadOnlyList<AlarmResponse> Alarms)
    {
        public static AlarmsResponse From(IReadOnlyList<Alarm> active) =>
            new(active.Select(a => new AlarmResponse(a.Name, a.Since.UtcDateTime, a.Message)).ToList());
    }
}

/// <summary>Health "alarms": Degraded while any alarm is active, so a load balancer keeps the instance while
/// monitoring sees that something needs a person.</summary>
internal sealed class AlarmsHealthCheck(IMediator mediator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var active = (await mediator.Send(new GetAlarms(), cancellationToken)).Value;
        return active.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded(string.Join(", ", active.Select(a => a.Name)));
    }
}
