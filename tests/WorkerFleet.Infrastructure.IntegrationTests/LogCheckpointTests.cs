using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>SQLite's write-ahead log is checkpointed beside the heartbeat batches and the sweeps, not in their commits.</summary>
[TestFixture]
public sealed class LogCheckpointTests() : StorageTestBase(StorageProvider.Sqlite)
{
    [Test]
    public async Task A_write_commits_without_the_default_checkpoint_and_gives_its_connection_back_with_it()
    {
        var checkpoints = Storage.Services.GetRequiredService<LogCheckpoints>();

        var (during, after) = await Database(async db =>
        {
            // Opened by the test first, so the connection the batch used is still this context's for the second reading.
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var inBatch = await checkpoints.WriteAsync(db, () => DirectSql.ScalarAsync(connection, "PRAGMA wal_autocheckpoint"), _ => 1, CancellationToken.None);
            return (inBatch, await DirectSql.ScalarAsync(connection, "PRAGMA wal_autocheckpoint"));
        });

        during.Should().Be(10_000L, "a write's commit checkpoints only as a backstop");
        after.Should().Be(1000L, "back in the pool, the connection checkpoints at SQLite's default like every other");
    }

    [Test]
    public async Task A_write_on_a_closed_context_closes_the_connection_it_opened()
    {
        var checkpoints = Storage.Services.GetRequiredService<LogCheckpoints>();

        var state = await Database(async db =>
        {
            await checkpoints.WriteAsync(db, () => Task.FromResult(0), _ => 0, CancellationToken.None);
            return db.Database.GetDbConnection().State;
        });

        state.Should().Be(ConnectionState.Closed, "the connection goes back to the pool once the write is done");
    }

    [Test]
    public async Task A_checkpoint_starts_once_the_changes_since_the_last_reach_the_threshold_and_not_before()
    {
        var checkpoints = Storage.Services.GetRequiredService<LogCheckpoints>();
        var connectionString = await ConnectionStringAsync();
        var idle = checkpoints.Current;

        await checkpoints.WriteAsync(connectionString, () => Task.FromResult(LogCheckpoints.Changes - 1), changes => changes, CancellationToken.None);
        checkpoints.Current.Should().BeSameAs(idle, "one change short of the threshold");

        await checkpoints.WriteAsync(connectionString, () => Task.FromResult(1), changes => changes, CancellationToken.None);
        checkpoints.Current.Should().NotBeSameAs(idle, "the threshold reached");
        await checkpoints.Current;
    }

    [Test]
    public async Task Disposing_waits_for_the_running_checkpoint_which_waits_for_the_write_in_progress()
    {
        var checkpoints = new LogCheckpoints(NullLogger<LogCheckpoints>.Instance);
        var connectionString = await ConnectionStringAsync();
        var firstWriting = new TaskCompletionSource();
        var secondWriting = new TaskCompletionSource();

        var first = checkpoints.WriteAsync(connectionString, async () =>
        {
            await firstWriting.Task;
            return LogCheckpoints.Changes;
        }, changes => changes, CancellationToken.None);
        // Queued behind the first write before its checkpoint starts, so it holds the writes when the checkpoint's
        // second pass asks for them.
        var second = checkpoints.WriteAsync(connectionString, async () =>
        {
            await secondWriting.Task;
            return 0;
        }, changes => changes, CancellationToken.None);
        firstWriting.SetResult();
        await first;

        var disposing = checkpoints.DisposeAsync().AsTask();
        disposing.IsCompleted.Should().BeFalse("the checkpoint cannot finish while the second write holds the writes");

        secondWriting.SetResult();
        await second;
        await disposing;
        checkpoints.Current.IsCompletedSuccessfully.Should().BeTrue();
    }

    [Test]
    public async Task Opening_a_writers_connection_where_no_database_can_be_made_fails()
    {
        var nowhere = new SqliteConnectionStringBuilder { DataSource = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "missing", "fleet.db") };

        await FluentActions.Awaiting(() => LogCheckpoints.OpenWriterAsync(nowhere.ToString(), checkpointsInCommits: false, c => c, CancellationToken.None))
            .Should().ThrowAsync<SqliteException>();
    }

    [Test]
    public async Task Checkpoints_beside_the_batches_copy_the_whole_log_so_it_starts_again_instead_of_growing()
    {
        const int Workers = 1200, Batch = 300, Batches = 12;
        await AddWideWorkersAsync(Workers, WorkerStatus.Active);
        var writer = Storage.Services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>();
        var checkpoints = Storage.Services.GetRequiredService<LogCheckpoints>();
        var log = await Database(db => Task.FromResult(db.Database.GetDbConnection().DataSource + "-wal"));

        for (var b = 0; b < Batches; b++)
        {
            var at = Now.AddSeconds(b).UtcDateTime;
            var batch = Enumerable.Range(0, Batch).Select(k => (b * Batch + k) % Workers + 1)
                .Select(i => new HeartbeatWrite(WorkerId.From($"w-{i}"), $"hash-{i}", at, 100)).ToArray();
            (await Database(db => writer.WriteAsync(db, batch, CancellationToken.None))).Should().OnlyContain(s => s == WorkerStatus.Active);
            // Each batch is more heartbeats than a checkpoint waits for: one starts after it, and runs to its end here.
            await checkpoints.Current;
        }

        // 3,600 heartbeats wrote some 3,600 pages; the log holds one batch's (about 300 pages, 1.2 MB) at most.
        new FileInfo(log).Length.Should().BeLessThan(2 * 1024 * 1024);
        var recorded = await Database(db => db.Workers.SumAsync(w => w.HeartbeatsRecorded));
        recorded.Should().Be(Batch * Batches);
    }

    [Test]
    public async Task Heartbeat_batches_keep_a_connection_of_their_own_that_a_failed_batch_replaces()
    {
        await AddWideWorkersAsync(3, WorkerStatus.Active);
        var writer = Storage.Services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>();
        HeartbeatWrite[] Batch(int historySize) => Enumerable.Range(1, 3)
            .Select(i => new HeartbeatWrite(WorkerId.From($"w-{i}"), $"hash-{i}", Now.UtcDateTime, historySize)).ToArray();
        await Database(db => writer.WriteAsync(db, Batch(10), CancellationToken.None));

        // A history of no slots fails the batch after its first worker was counted.
        var failed = async () => await Database(db => writer.WriteAsync(db, Batch(0), CancellationToken.None));
        await failed.Should().ThrowAsync<DivideByZeroException>();
        (await Database(db => writer.WriteAsync(db, Batch(10), CancellationToken.None))).Should().OnlyContain(s => s == WorkerStatus.Active);

        (await Database(db => db.Workers.Select(w => w.HeartbeatsRecorded).ToListAsync())).Should().Equal(2, 2, 2);
    }

    [Test]
    public async Task A_writers_connection_is_closed_with_its_setting_not_handed_to_the_next_connection()
    {
        var connectionString = await ConnectionStringAsync();
        string writersConnectionString;
        await using (var writer = await LogCheckpoints.OpenWriterAsync(connectionString, checkpointsInCommits: false, c => c, CancellationToken.None))
        {
            (await DirectSql.ScalarAsync(writer, "PRAGMA wal_autocheckpoint")).Should().Be(10_000L);
            writersConnectionString = writer.ConnectionString;
        }

        // Opened exactly as the writer's was: a pool would hand back the writer's connection, setting and all.
        await using var next = new SqliteConnection(writersConnectionString);
        await next.OpenAsync();
        (await DirectSql.ScalarAsync(next, "PRAGMA wal_autocheckpoint")).Should().Be(1000L);
    }

    [Test]
    public async Task A_sweep_that_moves_more_workers_than_a_checkpoint_waits_for_leaves_one_running_beside_the_next_writes()
    {
        await AddWideWorkersAsync(LogCheckpoints.Changes + 50, WorkerStatus.Pending);
        var checkpoints = Storage.Services.GetRequiredService<LogCheckpoints>();
        var before = checkpoints.Current;

        (await SweepAsync(LifecycleSweep.Activation, Now.AddMinutes(-1))).Should().HaveCount(LogCheckpoints.Changes + 50);

        checkpoints.Current.Should().NotBeSameAs(before, "the sweep's commit left its checkpoint to a checkpoint of its own");
        await checkpoints.Current;
        (await Database(db => db.Workers.CountAsync(w => w.Status == WorkerStatus.Active))).Should().Be(LogCheckpoints.Changes + 50);
    }

    /// <summary>Workers a page wide each (their metadata), so that each one a write changes is about a page of the
    /// log; worker <c>w-i</c> has the token hash <c>hash-i</c> and a heartbeat at <c>Now</c>. The log is emptied
    /// afterwards: its length is then what the test's writes make it.</summary>
    private async Task AddWideWorkersAsync(int count, WorkerStatus status)
    {
        await Database(db => db.Database.ExecuteSqlRawAsync(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {0})
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash, schedulable)
            SELECT 'w-' || i, 'eu-west-1', 1, '[]', json_object('padding', hex(randomblob(1800))), {1}, {2}, {3}, 0, 1, 'hash-' || i, 1 FROM n
            """,
            [count, status.ToString(), Now.UtcDateTime, Now.UtcDateTime]));
        await Database(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)"));
    }
}
