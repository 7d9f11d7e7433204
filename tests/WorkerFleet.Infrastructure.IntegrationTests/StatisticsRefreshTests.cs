using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>A sweep that moves more workers than autovacuum waits for refreshes PostgreSQL's statistics of the table at
/// once (the status listings' plan rests on them); a smaller one leaves them to autovacuum.</summary>
[TestFixture]
public sealed class StatisticsRefreshTests() : StorageTestBase(StorageProvider.Postgres)
{
    /// <summary>A database of its own: one test reads pg_stat_user_tables' analyze count, which the earlier tests' sweeps
    /// raise and TRUNCATE does not reset, and turns autovacuum off for the workers table, which must not reach the
    /// database the other tests share.</summary>
    protected override bool OwnDatabase => true;

    [Test]
    public async Task Only_a_sweep_that_moves_more_than_autovacuum_waits_for_analyzes_the_workers_table()
    {
        var ids = Enumerable.Range(1, 100).Select(i => $"stats-{i:000}").ToArray();
        await RegisterAsync(ids);

        await ActivateAsync(ids[..40]);
        (await EstimatedRowsAsync()).Should().Be(-1, "40 moved workers are fewer than the 50 autovacuum waits for: nothing was analyzed");

        await ActivateAsync(ids[40..]);
        (await EstimatedRowsAsync()).Should().Be(100, "the sweep that moved 60 analyzed the table");
    }

    [Test]
    public async Task A_sweep_counts_against_a_tenth_of_the_rows_the_statistics_know_and_analyzes_only_past_it()
    {
        // Autovacuum would analyze this table on its own after so many inserts: here only the sweeps may.
        await Database(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE workers SET (autovacuum_enabled = false)"));
        var ids = Enumerable.Range(1, 700).Select(i => $"stats-{i:000}").ToArray();
        await RegisterAsync(ids);
        await Database(db => db.Database.ExecuteSqlRawAsync("ANALYZE workers"));
        (await EstimatedRowsAsync()).Should().Be(700);
        var analyzed = await AnalyzeCountAsync();

        // 50 and a tenth of 700 is 120: a sweep of exactly 120 is not past it.
        await ActivateAsync(ids[..120]);
        (await AnalyzeCountAsync()).Should().Be(analyzed);

        await ActivateAsync(ids[120..241]);
        (await AnalyzeCountAsync()).Should().Be(analyzed + 1, "121 is past it");
    }

    [Test]
    public async Task A_stale_detection_that_moves_more_than_autovacuum_waits_for_analyzes_the_workers_table()
    {
        await Database(db => db.Database.ExecuteSqlRawAsync("ALTER TABLE workers SET (autovacuum_enabled = false)"));
        var ids = Enumerable.Range(1, 100).Select(i => $"stats-{i:000}").ToArray();
        await RegisterAsync(ids);
        await ActivateAsync(ids[..50]);
        await ActivateAsync(ids[50..]);
        (await EstimatedRowsAsync()).Should().Be(-1, "sweeps of 50 are not past autovacuum's 50: nothing was analyzed");

        var later = Now.AddMinutes(10);
        var outcome = await Storage.InScopeAsync<ILifecycleControl, StaleDetectionOutcome>(control => control.DetectStaleAsync(
            new StaleDetectionRun(later, later.AddMinutes(-2), Now.AddHours(-1), Threshold: 1, MinimumFleet: 10, "stale-detection job"),
            CancellationToken.None));

        outcome.MarkedOffline.Should().HaveCount(100);
        (await EstimatedRowsAsync()).Should().Be(100, "the stale detection that moved 100 analyzed the table");
    }

    /// <summary>Heartbeats from each of <paramref name="ids"/>, then an activation that moves exactly them.</summary>
    private async Task ActivateAsync(string[] ids)
    {
        foreach (var id in ids)
        {
            await HeartbeatAsync(id, Now);
        }

        (await SweepAsync(LifecycleSweep.Activation, Now.AddMinutes(-2))).Should().HaveCount(ids.Length);
    }

    /// <summary>How many times the workers table was analyzed by a command (not by autovacuum).</summary>
    private Task<long> AnalyzeCountAsync() => Database(db => db.Database
        .SqlQueryRaw<long>("""SELECT analyze_count AS "Value" FROM pg_stat_user_tables WHERE relname = 'workers'""")
        .SingleAsync());

    /// <summary>PostgreSQL's row estimate of workers, which ANALYZE sets and which is -1 before the table's first.</summary>
    private Task<double> EstimatedRowsAsync() => Database(db => db.Database
        .SqlQueryRaw<double>("""SELECT CAST(reltuples AS double precision) AS "Value" FROM pg_class WHERE oid = 'workers'::regclass""")
        .SingleAsync());
}
