using MediatR;
using Microsoft.Extensions.Logging;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Behaviours;

/// <summary>Turns a transient storage failure into <see cref="StorageUnavailable"/>, so callers can answer
/// "try again later" instead of crashing; other exceptions are bugs and keep propagating.</summary>
internal sealed class StorageFailureBehaviour<TRequest, TResponse>(ILogger<StorageFailureBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IFailable<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            return await next();
        }
        catch (Exception exception) when (StorageFailure.IsTransient(exception))
        {
            logger.LogWarning(exception, "Storage unavailable while handling {Request}", typeof(TRequest).Name);
            return TResponse.Failure(new StorageUnavailable("the database did not answer"));
        }
    }
}
