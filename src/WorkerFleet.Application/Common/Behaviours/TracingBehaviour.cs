using System.Diagnostics;
using MediatR;
using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Application.Common.Behaviours;

/// <summary>One span per use case, named after its request, marked as an error with the error's type when the use case
/// fails. Nothing of the request goes into it: a request may hold a token.</summary>
internal sealed class TracingBehaviour<TRequest, TResponse> : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IFailable<TResponse>
{
    private static readonly string SpanName = typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        using var activity = FleetTracing.Source.StartActivity(SpanName, ActivityKind.Internal);
        var response = await next();
        if (activity is not null && response.Error is { } error)
        {
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }

        return response;
    }
}
