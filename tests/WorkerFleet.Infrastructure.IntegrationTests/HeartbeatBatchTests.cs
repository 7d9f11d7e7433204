using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>Group commit of heartbeats: what one batch writes, and how the group commit answers its callers.</summary>
public class HeartbeatBatchTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task One_batch_counts_each_heartbeat_once_and_refuses_only_the_wrong_tokens()
    {
        await RegisterAsync("worker-1", "worker-2");
        var batch = new[]
        {
            Beat("worker-1", Now.AddSeconds(1)),
            Beat("worker-2", Now.AddSeconds(1)),
            Beat("worker-1", Now.AddSeconds(2)),
            new HeartbeatWrite(WorkerId.From("worker-1"), WorkerToken.Issue().Hash, Now.AddSeconds(9).UtcDateTime, 100),
            Beat("ghost", Now.AddSeconds(3)),
            Beat("worker-1", Now.AddSeconds(3)),
        };

        var answers = await WriteAsync(batch);

        answers.Should().Equal(WorkerStatus.Pending, WorkerStatus.Pending, WorkerStatus.Pending, null, null, WorkerStatus.Pending);
        var first = await FindAsync("worker-1");
        first.HeartbeatsRecorded.Should().Be(3);
        first.LastHeartbeatAt.Should().Be(Now.AddSeconds(3), "the refused heartbeat at +9 s moved nothing");
        (await FindAsync("worker-2")).HeartbeatsRecorded.Should().Be(1);
        (await HistoryAsync("worker-1")).Should().Equal(Now.AddSeconds(3), Now.AddSeconds(2), Now.AddSeconds(1));
    }

    [Test]
    public async Task A_batch_holding_more_heartbeats_of_a_worker_than_the_history_keeps_the_newest()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1", Now, historySize: 4);

        var answers = await WriteAsync(Enumerable.Range(1, 9).Select(i => Beat("worker-1", Now.AddSeconds(i), historySize: 4)).ToArray());

        answers.Should().HaveCount(9).And.OnlyContain(status => status == WorkerStatus.Pending);
        (await FindAsync("worker-1")).HeartbeatsRecorded.Should().Be(10);
        (await HistoryAsync("worker-1", historySize: 4)).Should().Equal(Enumerable.Range(6, 4).Reverse().Select(i => Now.AddSeconds(i)));
    }

    [Test]
    public async Task A_batch_numbers_heartbeats_by_their_receive_time_and_never_moves_the_last_heartbeat_back()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1", Now.AddSeconds(10));

        await WriteAsync([Beat("worker-1", Now.AddSeconds(5)), Beat("worker-1", Now.AddSeconds(4))]);

        (await FindAsync("worker-1")).LastHeartbeatAt.Should().Be(Now.AddSeconds(10));
        (await HistoryAsync("worker-1")).Should().Equal(Now.AddSeconds(5), Now.AddSeconds(4), Now.AddSeconds(10));
    }

    [Test]
    public async Task Concurrent_heartbeats_of_many_workers_are_each_answered_after_their_commit_and_counted_once()
    {
        var ids = Enumerable.Range(1, 20).Select(i => $"worker-{i}").ToArray();
        await RegisterAsync(ids);
        const int PerWorker = 10;

        var beats = ids.SelectMany(id => Enumerable.Range(1, PerWorker).Select(n => HeartbeatAsync(id, Now.AddMilliseconds(n))));
        var answers = await Task.WhenAll(beats);

        answers.Should().OnlyContain(status => status == WorkerStatus.Pending);
        foreach (var id in ids)
        {
            var worker = await FindAsync(id);
            worker.HeartbeatsRecorded.Should().Be(PerWorker);
            worker.LastHeartbeatAt.Should().Be(Now.AddMilliseconds(PerWorker));
            (await HistoryAsync(id)).Should().HaveCount(PerWorker).And.OnlyHaveUniqueItems();
        }
    }

    [Test]
    public async Task Shutting_down_writes_every_queued_heartbeat_in_batches_of_at_most_the_batch_size_and_refuses_later_ones()
    {
        var ids = Enumerable.Range(1, 50).Select(i => $"worker-{i}").ToArray();
        await RegisterAsync(ids);
        var writer = new HeldWriter(Storage.Services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>());
        // Batches of 16 and a queue of four batches: the 49 queued below all fit and wait for no room.
        var batcher = Batcher(writer, Options.Create(new StorageOptions { WriteBatchSize = 16 }));

        // The first heartbeat's batch is held in the writer, so the other 49 are still queued when shutdown begins.
        var queued = new List<Task<WorkerStatus?>> { batcher.SubmitAsync(Beat(ids[0], Now), CancellationToken.None) };
        await writer.Entered;
        queued.AddRange(ids.Skip(1).Select(id => batcher.SubmitAsync(Beat(id, Now), CancellationToken.None)));
        var shutdown = batcher.DisposeAsync().AsTask();
        var late = () => batcher.SubmitAsync(Beat("worker-1", Now.AddSeconds(1)), CancellationToken.None);
        await late.Should().ThrowAsync<StorageUnavailableException>().WithMessage("*shutting down and takes no more writes*");
        shutdown.IsCompleted.Should().BeFalse("shutting down waits for the queued writes");
        writer.Release();
        // Bounded, so a shutdown that dropped the queue fails the test instead of hanging it.
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));

        (await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(30))).Should().OnlyContain(status => status == WorkerStatus.Pending);
        writer.Batches.Should().Equal(1, 16, 16, 16, 1);
        foreach (var id in ids)
        {
            (await FindAsync(id)).HeartbeatsRecorded.Should().Be(1);
        }
    }

    [Test]
    public async Task A_batch_that_fails_answers_every_caller_with_its_failure()
    {
        await using var batcher = Batcher(new FailingWriter());

        var callers = Enumerable.Range(1, 10).Select(i => batcher.SubmitAsync(Beat($"worker-{i}", Now), CancellationToken.None)).ToArray();

        foreach (var caller in callers)
        {
            await caller.Awaiting(c => c).Should().ThrowAsync<TimeoutException>();
        }
    }

    private GroupCommit<HeartbeatWrite, WorkerStatus?> Batcher(
        IBatchWriter<HeartbeatWrite, WorkerStatus?> writer, IOptions<StorageOptions>? options = null) => new(
        Storage.Services.GetRequiredService<IServiceScopeFactory>(), writer,
        options ?? Storage.Services.GetRequiredService<IOptions<StorageOptions>>(), Storage.Services.GetRequiredService<FleetMetrics>(),
        TimeProvider.System, NullLogger<GroupCommit<HeartbeatWrite, WorkerStatus?>>.Instance);

    private HeartbeatWrite Beat(string id, DateTimeOffset at, int historySize = 100) =>
        new(WorkerId.From(id), TokenFor(id).Hash, at.UtcDateTime, historySize);

    private Task<IReadOnlyList<WorkerStatus?>> WriteAsync(HeartbeatWrite[] batch) =>
        Database(db => Storage.Services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>().WriteAsync(db, batch, CancellationToken.None));

    private async Task<IReadOnlyList<DateTimeOffset>> HistoryAsync(string id, int historySize = 100) =>
        (await Heartbeats(h => h.GetHistoryAsync(WorkerId.From(id), 1000, historySize, CancellationToken.None)))!;

    private sealed class FailingWriter : IBatchWriter<HeartbeatWrite, WorkerStatus?>
    {
        public Task<IReadOnlyList<WorkerStatus?>> WriteAsync(
            WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken) =>
            throw new TimeoutException("the database did not answer in time");
    }

    /// <summary>The real writer, held at its first batch until released; it keeps the size of each batch it wrote.</summary>
    private sealed class HeldWriter(IBatchWriter<HeartbeatWrite, WorkerStatus?> inner) : IBatchWriter<HeartbeatWrite, WorkerStatus?>
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<int> _batches = new();

        public Task Entered => _entered.Task;

        public IEnumerable<int> Batches => _batches;

        public void Release() => _released.TrySetResult();

        public async Task<IReadOnlyList<WorkerStatus?>> WriteAsync(
            WorkerFleetDbContext db, IReadOnlyList<HeartbeatWrite> batch, CancellationToken cancellationToken)
        {
            _batches.Enqueue(batch.Count);
            _entered.TrySetResult();
            await _released.Task;
            return await inner.WriteAsync(db, batch, cancellationToken);
        }
    }
}
