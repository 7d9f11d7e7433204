using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>Writes a batch in one transaction and commits it; the answers are in batch order. Throws when nothing of
/// the batch was committed.</summary>
/// <typeparam name="TWrite">One caller's write.</typeparam>
/// <typeparam name="TAnswer">What that caller hears once the batch committed.</typeparam>
internal interface IBatchWriter<TWrite, TAnswer>
{
    Task<IReadOnlyList<TAnswer>> WriteAsync(WorkerFleetDbContext db, IReadOnlyList<TWrite> batch, CancellationToken cancellationToken);
}

/// <summary>A kind of write a group commit batches.</summary>
internal interface IBatchedWrite
{
    /// <summary>The <c>kind</c> tag of the batch metrics: <c>heartbeats</c> or <c>registrations</c>.</summary>
    static abstract string Kind { get; }
}

/// <summary>Group commit: every write that arrives while a batch is being written joins the next one, and each caller
/// is answered only after the transaction holding its write has committed, so one commit (and its sync to disk) serves
/// many callers. One write loop per process and kind of write, started with the first write, so a host without a
/// generic host (a console, a test) needs nothing more. Disposing it writes everything already queued and refuses
/// what comes after.</summary>
internal sealed class GroupCommit<TWrite, TAnswer> : IAsyncDisposable, IDisposable
    where TWrite : IBatchedWrite
{
    private readonly IServiceScopeFactory _scopes;
    private readonly IBatchWriter<TWrite, TAnswer> _writer;
    private readonly ILogger<GroupCommit<TWrite, TAnswer>> _logger;
    private readonly FleetMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxBatchSize;
    private readonly Channel<Pending> _queue;
    private readonly Task _writing;

    public GroupCommit(
        IServiceScopeFactory scopes, IBatchWriter<TWrite, TAnswer> writer, IOptions<StorageOptions> options,
        FleetMetrics metrics, TimeProvider timeProvider, ILogger<GroupCommit<TWrite, TAnswer>> logger)
    {
        _scopes = scopes;
        _writer = writer;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _logger = logger;
        _maxBatchSize = options.Value.WriteBatchSize;
        // Bounded, so an overloaded database slows callers down instead of growing the queue without limit.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_maxBatchSize * 4)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writing = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues the write and waits for the commit of its batch. Throws <see cref="StorageUnavailableException"/>
    /// once shutting down, and the batch's own exception when its write failed. A caller that stops waiting does not
    /// take its write back: it may still be committed.</summary>
    public async Task<TAnswer> SubmitAsync(TWrite write, CancellationToken cancellationToken)
    {
        var pending = new Pending(write, new TaskCompletionSource<TAnswer>(TaskCreationOptions.RunContinuationsAsynchronously), _timeProvider.GetTimestamp());
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new StorageUnavailableException("the service is shutting down and takes no more writes");
        }

        return await pending.Answer.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writing;
    }

    // For a host that disposes its services synchronously: the queued writes are still written before it returns.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
            var answers = await _writer.WriteAsync(db, batch.ConvertAll(p => p.Write), CancellationToken.None);
            _metrics.BatchCommitted(TWrite.Kind, batch.ConvertAll(p => _timeProvider.GetElapsedTime(p.QueuedAt)));
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Answer.TrySetResult(answers[i]);
            }
        }
        catch (Exception exception)
        {
            // Nothing of the batch committed: every caller hears of it, and its use case answers it.
            _logger.LogWarning(exception, "A batch of {Count} writes ({Kind}) could not be committed", batch.Count, typeof(TWrite).Name);
            foreach (var pending in batch)
            {
                pending.Answer.TrySetException(exception);
            }
        }
    }

    private sealed record Pending(TWrite Write, TaskCompletionSource<TAnswer> Answer, long QueuedAt);
}
