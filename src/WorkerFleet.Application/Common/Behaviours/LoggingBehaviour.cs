using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace WorkerFleet.Application.Common.Behaviours;

/// <summary>Logs each use case with its duration and, when it fails, the error type, at Debug: a failed use case is a
/// refused request (a bad id, an unknown worker, a rotated-out token), and a storm of them must not flood the log.
/// What an operator must see (storage outages, protection holds) is logged at Warning where it happens.</summary>
internal sealed class LoggingBehaviour<TRequest, TResponse>(ILogger<LoggingBehaviour<TRequest, TResponse>> logger, TimeProvider timeProvider)
    : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IFailable<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = timeProvider.GetTimestamp();
        var response = await next();
        var elapsed = timeProvider.GetElapsedTime(started);
        var requestName = typeof(TRequest).Name;
        if (response.Error is { } error)
        {
            logger.LogDebug("{Request} failed with {Error} in {ElapsedMs:0.0} ms", requestName, error.GetType().Name, elapsed.TotalMilliseconds);
        }
        else
        {
            logger.LogDebug("{Request} handled in {ElapsedMs:0.0} ms", requestName, elapsed.TotalMilliseconds);
        }

        return response;
    }
}
