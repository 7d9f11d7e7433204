using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>On PostgreSQL a sweep takes the journal's lock before it draws a sequence, so its events become visible
/// only after those of a writer that drew a lower sequence first. The interleaving is forced: a second session takes
/// the lock and writes an event, and commits only once the sweep waits for it.</summary>
[TestFixture]
public sealed class JournalLockTests() : StorageTestBase(StorageProvider.Postgres)
{
    [Test]
    public async Task A_sweep_waits_for_a_writer_holding_the_journal_and_numbers_its_events_after_that_writers()
    {
        await RegisterAsync("worker-1", "worker-2");
        await HeartbeatAsync("worker-1", Now);
        await HeartbeatAsync("worker-2", Now);
        var connectionString = await ConnectionStringAsync();
        await using var writer = new NpgsqlConnection(connectionString);
        await writer.OpenAsync();
        await using var holding = await writer.BeginTransactionAsync();
        await DirectSql.ExecuteAsync(writer, Journal.PostgresLock);
        await DirectSql.ExecuteAsync(writer,
            "INSERT INTO worker_events (at, worker_id, type, actor) VALUES (now(), 'worker-1', 'cordoned', 'test')");

        var sweep = SweepAsync(LifecycleSweep.Activation, Now.AddMinutes(-2));

        (await DirectSql.WaitForALockAsync(connectionString, sweep)).Should().BeTrue("the sweep waits while the writer holds the journal");
        await holding.CommitAsync();
        (await sweep).Should().HaveCount(2);
        var types = await Database(db => db.WorkerEvents.AsNoTracking().OrderBy(e => e.Sequence).Select(e => e.Type).ToListAsync());
        types[^3..].Should().Equal("cordoned", "status-changed", "status-changed");
    }
}
