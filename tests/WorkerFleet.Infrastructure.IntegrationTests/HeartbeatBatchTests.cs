using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common.Abstractions;
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
    public async Task Shutting_down_writes_every_queued_heartbeat_and_refuses_later_ones()
    {
        var ids = Enumerable.Range(1, 50).Select(i => $"worker-{i}").ToArray();
        await RegisterAsync(ids);
        var batcher = ActivatorUtilities.CreateInstance<GroupCommit<HeartbeatWrite, WorkerStatus?>>(Storage.Services);

        var queued = ids.Select(id => batcher.SubmitAsync(Beat(id, Now), CancellationToken.None)).ToArray();
        await batcher.DisposeAsync();

        (await Task.WhenAll(queued)).Should().OnlyContain(status => status == WorkerStatus.Pending);
        foreach (var id in ids)
        {
            (await FindAsync(id)).HeartbeatsRecorded.Should().Be(1);
        }

        var late = () => batcher.SubmitAsync(Beat("worker-1", Now.AddSeconds(1)), CancellationToken.None);
        await late.Should().ThrowAsync<StorageUnavailableException>();
    }

    [Test]
    public async Task A_batch_that_fails_answers_every_caller_with_its_failure()
    {
        await using var batcher = new GroupCommit<HeartbeatWrite, WorkerStatus?>(
            Storage.Services.GetRequiredService<IServiceScopeFactory>(), new FailingWriter(),
            Storage.Services.GetRequiredService<IOptions<StorageOptions>>(), NullLogger<GroupCommit<HeartbeatWrite, WorkerStatus?>>.Instance);

        var callers = Enumerable.Range(1, 10).Select(i => batcher.SubmitAsync(Beat($"worker-{i}", Now), CancellationToken.None)).ToArray();

        foreach (var caller in callers)
        {
            await caller.Awaiting(c => c).Should().ThrowAsync<TimeoutException>();
        }
    }

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
}
