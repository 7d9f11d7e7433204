using MediatR;
using WorkerFleet.Application.Alarms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Behaviours;

/// <summary>Marks a request its handler answers without storage: its success says nothing about the database.</summary>
internal interface IServedFromMemory;

/// <summary>Turns a transient storage failure into <see cref="StorageUnavailable"/>, so callers can answer
/// "try again later" instead of crashing; other exceptions are bugs and keep propagating.</summary>
internal sealed class StorageFailureBehaviour<TRequest, TResponse>(
    ILogger<StorageFailureBehaviour<TRequest, TResponse>> logger, StorageWatch storage, IServiceProvider services)
    : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IFailable<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        try
        {
            var response = await next();

            // An answer proves storage answers unless it never reached storage (a validation refusal, a request
            // served from memory) or met the outage in an inner request (a composite request).
            if (response.Error is not (InvalidConfiguration or StorageUnavailable) && request is not IServedFromMemory && storage.Answered())
            {
                await ShareGracePeriodAsync(cancellationToken);
            }

            return response;
        }
        catch (Exception exception) when (StorageFailure.IsTransient(exception))
        {
            storage.Failed();
            logger.LogWarning(exception, "Storage unavailable while handling {Request}", typeof(TRequest).Name);
            return TResponse.Failure(new StorageUnavailable("the database did not answer"));
        }
    }

    /// <summary>Stores the grace period this instance owes the fleet from its first answer, or from storage coming back,
    /// so that stale detection waits for it on every instance. Resolved only then: most requests never need it.</summary>
    private async Task ShareGracePeriodAsync(CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<ILifecycleControl>()
                .StartGraceAsync(storage.GraceStartsAt, cancellationToken);
        }
        catch (Exception exception) when (StorageFailure.IsTransient(exception))
        {
            // The request itself was answered; the next answer shares the grace period again.
            storage.Failed();
            logger.LogWarning(exception, "Storage unavailable while sharing stale detection's grace period");
        }
    }
}
