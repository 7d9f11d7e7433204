using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>On PostgreSQL a stale detection reads and moves on one snapshot: a worker that changes after the snapshot
/// and before the move makes the move fail, and the run starts again on a new snapshot. The interleaving is forced: a
/// second connection holds the worker's row until the run waits for it, then brings the worker back and commits.</summary>
[TestFixture]
public sealed class StaleDetectionRetryTests() : StorageTestBase(StorageProvider.Postgres)
{
    [Test]
    public async Task A_worker_brought_back_while_the_run_waits_for_its_row_makes_the_run_start_again_and_stay()
    {
        var cutoff = Now.AddMinutes(-2);
        var ids = Enumerable.Range(0, 10).Select(i => $"fleet-{i}").ToArray();
        await RegisterAsync(ids);
        for (var i = 0; i < ids.Length; i++)
        {
            await HeartbeatAsync(ids[i], i == 0 ? cutoff.AddSeconds(-1) : Now);
        }

        (await SweepAsync(LifecycleSweep.Activation, cutoff.AddMinutes(-1))).Should().HaveCount(ids.Length);
        var connectionString = await ConnectionStringAsync();
        await using var other = new NpgsqlConnection(connectionString);
        await other.OpenAsync();
        await using var hold = await other.BeginTransactionAsync();
        await DirectSql.ExecuteAsync(other, "SELECT 1 FROM workers WHERE id = 'fleet-0' FOR UPDATE");

        var run = Storage.InScopeAsync<ILifecycleControl, StaleDetectionOutcome>(control => control.DetectStaleAsync(
            new StaleDetectionRun(Now, cutoff, Now.AddHours(-1), 0.5, 10, "stale-detection job"), CancellationToken.None));
        var waiting = await DirectSql.WaitForALockAsync(connectionString, run);
        waiting.Should().BeTrue("the run's move waits for the row the other connection holds");
        await DirectSql.ExecuteAsync(other, "UPDATE workers SET last_heartbeat_at = now(), heartbeats_recorded = heartbeats_recorded + 1 WHERE id = 'fleet-0'");
        await hold.CommitAsync();

        var outcome = await run;
        outcome.MarkedOffline.Should().BeEmpty("on its new snapshot the worker has a recent heartbeat");
        (await FindAsync("fleet-0")).Status.Should().Be(WorkerStatus.Active);
    }
}
