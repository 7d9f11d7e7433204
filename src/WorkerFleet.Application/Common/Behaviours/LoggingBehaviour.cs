using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace WorkerFleet.Application.Common.Behaviours;

/// <summary>Logs each use case with its duration and, when it fails, the error type.</summary>
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
            logger.LogInformation("{Request} failed with {Error} in {ElapsedMs:0.0} ms", requestName, error.GetType().Name, elapsed.TotalMilliseconds);
        }
        else
        {
            logger.LogDebug("{Request} handled in {ElapsedMs:0.0} ms", requestName, elapsed.TotalMilliseconds);
        }

        return response;
    }
}
