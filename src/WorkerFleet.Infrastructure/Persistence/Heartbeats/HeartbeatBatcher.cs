using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>Group commit for heartbeats: every heartbeat that arrives while a batch is being written joins the next
/// one, and each caller is answered only after the transaction holding its heartbeat has committed. One write loop per
/// process, started with the first heartbeat, so a host without a generic host (a console, a test) needs nothing more.
/// Disposing it writes everything already queued and refuses what comes after.</summary>
internal sealed class HeartbeatBatcher : IAsyncDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IHeartbeatBatchWriter _writer;
    private readonly ILogger<HeartbeatBatcher> _logger;
    private readonly int _maxBatchSize;
    private readonly Channel<PendingHeartbeat> _queue;
    private readonly Task _writing;

    public HeartbeatBatcher(
        IServiceScopeFactory scopes, IHeartbeatBatchWriter writer, IOptions<StorageOptions> options, ILogger<HeartbeatBatcher> logger)
    {
        _scopes = scopes;
        _writer = writer;
        _logger = logger;
        _maxBatchSize = options.Value.HeartbeatBatchSize;
        // Bounded, so an overloaded database slows callers down instead of growing the queue without limit.
        _queue = Channel.CreateBounded<PendingHeartbeat>(new BoundedChannelOptions(_maxBatchSize * 4)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writing = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues the heartbeat and waits for the commit of its batch. Throws
    /// <see cref="StorageUnavailableException"/> once the batcher is shutting down, and the batch's own exception when
    /// its write failed.</summary>
    public async Task<WorkerStatus?> RecordAsync(PendingHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(heartbeat, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new StorageUnavailableException("the service is shutting down and takes no more heartbeats");
        }

        return await heartbeat.Committed.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingHeartbeat>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var heartbeat))
            {
                batch.Add(heartbeat);
            }

            // A change of the history size between two heartbeats is rare; each size is written as a batch of its own.
            foreach (var sameSize in batch.GroupBy(h => h.HistorySize))
            {
                await WriteAsync(sameSize.ToList());
            }

            batch.Clear();
        }
    }

    private async Task WriteAsync(List<PendingHeartbeat> batch)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
            var answers = await _writer.WriteAsync(db, batch, CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Answer(answers[i]);
            }
        }
        catch (Exception exception)
        {
            // Nothing of the batch committed: every caller hears of it, and the use case answers each one.
            _logger.LogWarning(exception, "A batch of {Count} heartbeats could not be written", batch.Count);
            foreach (var heartbeat in batch)
            {
                heartbeat.Fail(exception);
            }
        }
    }
}
