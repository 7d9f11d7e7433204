using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>SQLite's write-ahead log is checkpointed beside the heartbeat batches, not in their commits.</summary>
[TestFixture]
public sealed class SqliteCheckpointTests() : StorageTestBase(StorageProvider.Sqlite)
{
    [Test]
    public async Task A_heartbeat_batch_commits_without_the_default_checkpoint_and_gives_its_connection_back_with_it()
    {
        var checkpoints = Storage.Services.GetRequiredService<SqliteCheckpoints>();

        var (during, after) = await Database(async db =>
        {
            // Opened by the test first, so the connection the batch used is still this context's for the second reading.
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            var inBatch = await checkpoints.WriteAsync(db, 1, () => DirectSql.ScalarAsync(connection, "PRAGMA wal_autocheckpoint"), CancellationToken.None);
            return (inBatch, await DirectSql.ScalarAsync(connection, "PRAGMA wal_autocheckpoint"));
        });

        during.Should().Be(10_000L, "a batch's commit checkpoints only as a backstop");
        after.Should().Be(1000L, "back in the pool, the connection checkpoints at SQLite's default like every other");
    }

    [Test]
    public async Task Checkpoints_beside_the_batches_copy_the_whole_log_so_it_starts_again_instead_of_growing()
    {
        // Workers a page wide each, so a batch of heartbeats of different workers writes about a page per heartbeat.
        const int Workers = 1200, Batch = 300, Batches = 12;
        await Database(db => db.Database.ExecuteSqlRawAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Workers})
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, heartbeats_recorded, version, token_hash, schedulable)
            SELECT 'w-' || i, 'eu-west-1', 1, '[]', json_object('padding', hex(randomblob(1800))), 'Active', '2026-01-01 00:00:00', 0, 1, 'hash-' || i, 1 FROM n
            """));
        // The log as long as the batches make it, not as the set-up left it.
        await Database(db => db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)"));
        var writer = Storage.Services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>();
        var checkpoints = Storage.Services.GetRequiredService<SqliteCheckpoints>();
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
}
