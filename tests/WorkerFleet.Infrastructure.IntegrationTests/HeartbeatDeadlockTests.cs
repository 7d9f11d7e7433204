using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>On PostgreSQL a batch of heartbeats that loses a deadlock is written again: the deadlock rolled its whole
/// statement back, so each heartbeat still counts once. The deadlock is forced: a second connection holds the worker's
/// history slot until the batch, which has locked the worker's row, waits for it, and then asks for that row.</summary>
[TestFixture]
public sealed class HeartbeatDeadlockTests() : StorageTestBase(StorageProvider.Postgres)
{
    [Test]
    public async Task A_batch_that_loses_a_deadlock_is_written_again_and_counts_each_heartbeat_once()
    {
        await RegisterAsync("worker-1");
        await HeartbeatAsync("worker-1", Now, historySize: 1);
        var connectionString = await ConnectionStringAsync();
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        // PostgreSQL breaks a deadlock in the session whose wait reaches deadlock_timeout first: the batch's, then.
        await DirectSql.ExecuteAsync(other, "SET deadlock_timeout = '30s'");
        await using var hold = await other.BeginTransactionAsync();
        await DirectSql.ExecuteAsync(other, "SELECT 1 FROM worker_heartbeats WHERE worker_id = 'worker-1' FOR UPDATE");

        var batch = Database(db => Storage.Services.GetRequiredService<IBatchWriter<HeartbeatWrite, WorkerStatus?>>().WriteAsync(
            db, [new HeartbeatWrite(WorkerId.From("worker-1"), TokenFor("worker-1").Hash, Now.AddSeconds(1).UtcDateTime, 1)], CancellationToken.None));
        var waiting = await DirectSql.WaitForALockAsync(connectionString, batch);
        waiting.Should().BeTrue("the batch has locked the worker's row and waits for its history slot");
        // Asking for the row the batch holds closes the cycle; the batch's statement fails, its retry waits for this commit.
        await DirectSql.ExecuteAsync(other, "UPDATE workers SET version = version WHERE id = 'worker-1'");
        await hold.CommitAsync();

        (await batch).Should().Equal(WorkerStatus.Pending);
        var worker = await FindAsync("worker-1");
        worker.HeartbeatsRecorded.Should().Be(2);
        worker.LastHeartbeatAt.Should().Be(Now.AddSeconds(1));
    }
}
