using MediatR;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Problems;

namespace WorkerFleet.WebApi.Endpoints;

/// <summary>Runs the three lifecycle transitions now, outside their schedules.</summary>
internal static class SchedulerEndpoints
{
    public static IEndpointRouteBuilder MapScheduler(this IEndpointRouteBuilder app)
    {
        app.MapPost("/scheduler/run", Run)
            .WithTags("Scheduler")
            .RequireAuthorization(Security.Policies.Operate)
            .Produces<LifecycleRunResponse>()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> Run(IMediator mediator, CancellationToken cancellationToken) =>
        (await mediator.Send(new RunLifecycleChecks(), cancellationToken)).ToHttp(report => TypedResults.Ok(LifecycleRunResponse.From(report)));
}
