using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Workers.Queries;

namespace WorkerFleet.WebApi.Security;

/// <summary>Fills <see cref="WorkerTokenCache"/> once the host has started, with the tokens of the workers that sent a
/// heartbeat most recently, up to the cache's size. Without it a restart under a full fleet's load would look up every
/// worker's token on its next heartbeat, one query each, while the process is still compiling its hot path
/// (docs/performance-log.md). The cache stays a cache: an entry read before a rotation costs one refused write, as any
/// stale entry does. When the read fails, the cache fills one lookup at a time as before.</summary>
internal sealed partial class WorkerTokenCacheWarmup(
    IServiceScopeFactory scopes, WorkerTokenCache tokens, IOptions<SecurityOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider timeProvider, ILogger<WorkerTokenCacheWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var size = options.Value.WorkerTokenCacheSize;
        if (size == 0)
        {
            return;
        }

        try
        {
            // Once every hosted service has started: the storage's migrations first.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            var reading = timeProvider.GetTimestamp();
            await using var scope = scopes.CreateAsyncScope();
            var holders = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ListTokenHolders(size), stoppingToken);
            if (!holders.IsSuccess)
            {
                NotFilled(logger, holders.Error!.Message, null);
                return;
            }

            foreach (var holder in holders.Value)
            {
                tokens.Remember(holder.TokenHash, holder.WorkerId.Value);
            }

            Filled(logger, holders.Value.Count, (long)timeProvider.GetElapsedTime(reading).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before it was done: nothing is lost, the cache fills as heartbeats come.
        }
        catch (Exception exception)
        {
            // A cache that starts empty is no reason to stop the host.
            NotFilled(logger, exception.Message, exception);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "The worker token cache starts with {Count} tokens, read in {Milliseconds} ms")]
    private static partial void Filled(ILogger logger, int count, long milliseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The worker token cache could not be filled at start ({Error}); it fills as heartbeats come")]
    private static partial void NotFilled(ILogger logger, string error, Exception? exception);
}
