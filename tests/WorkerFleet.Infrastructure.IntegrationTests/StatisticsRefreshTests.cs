using Microsoft.EntityFrameworkCore;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>A sweep that moves more workers than autovacuum waits for refreshes PostgreSQL's statistics of the table at
/// once (the status listings' plan rests on them); a smaller one leaves them to autovacuum.</summary>
[TestFixture]
public sealed class StatisticsRefreshTests() : StorageTestBase(StorageProvider.Postgres)
{
    [Test]
    public async Task Only_a_sweep_that_moves_more_than_autovacuum_waits_for_analyzes_the_workers_table()
    {
        var ids = Enumerable.Range(1, 100).Select(i => $"stats-{i:000}").ToArray();
        await RegisterAsync(ids);
        foreach (var id in ids.Take(40))
        {
            await HeartbeatAsync(id, Now);
        }

        (await SweepAsync(LifecycleSweep.Activation, Now.AddMinutes(-2))).Should().HaveCount(40);
        (await EstimatedRowsAsync()).Should().Be(-1, "40 moved workers are fewer than the 50 autovacuum waits for: nothing was analyzed");

        foreach (var id in ids.Skip(40))
        {
            await HeartbeatAsync(id, Now);
        }

        (await SweepAsync(LifecycleSweep.Activation, Now.AddMinutes(-2))).Should().HaveCount(60);
        (await EstimatedRowsAsync()).Should().Be(100, "the sweep that moved 60 analyzed the table");
    }

    /// <summary>PostgreSQL's row estimate of workers, which ANALYZE sets and which is -1 before the table's first.</summary>
    private Task<double> EstimatedRowsAsync() => Database(db => db.Database
        .SqlQueryRaw<double>("""SELECT CAST(reltuples AS double precision) AS "Value" FROM pg_class WHERE oid = 'workers'::regclass""")
        .SingleAsync());
}
