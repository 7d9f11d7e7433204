using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The migration that stores SQLite's timestamps as ticks: a timestamp written in SQLite's text form before it
/// reads back exactly after it, and the tables it builds again keep their triggers, their keys and the journal's
/// sequence.</summary>
public class SqliteTimestampMigrationTests
{
    private const string TextTimestamps = "20261204040000_CoverWorkerCapabilities";

    private TestStorage _storage = null!;

    [SetUp]
    public async Task CreateStorage() => _storage = await TestStorage.CreateAsync(StorageProvider.Sqlite);

    [TearDown]
    public async Task DropStorage() => await _storage.DisposeAsync();

    [Test]
    public async Task Every_timestamp_written_as_text_reads_back_exactly()
    {
        await _storage.MigrateAsync(TextTimestamps);
        await SqlAsync("""
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash)
            VALUES ('alpha', 'eu-west-1', 8, '["gpu"]', json_object(), 'Active', '2026-12-01 00:00:00', '2026-12-01 10:20:30.1234567', 2, 1, 'hash-alpha'),
                   ('beta', 'eu-west-1', 8, '[]', json_object(), 'Pending', '2026-12-01 00:00:00.5', NULL, 0, 1, 'hash-beta');
            INSERT INTO worker_heartbeats (worker_id, slot, sequence, received_at)
            VALUES ('alpha', 0, 1, '2026-12-01 10:20:29.1'), ('alpha', 1, 2, '2026-12-01 10:20:30.1234567');
            INSERT INTO worker_events (at, worker_id, type, from_status, to_status, trigger, actor, last_heartbeat_at, cutoff)
            VALUES ('2026-12-01 00:00:00', 'alpha', 'registered', NULL, 'Pending', NULL, 'key', NULL, NULL),
                   ('2026-12-01 10:21:00.0000001', 'alpha', 'status-changed', 'Pending', 'Active', 'activation', 'activation job', '2026-12-01 10:20:30.1234567', '2026-12-01 10:19:00');
            INSERT INTO mass_failure_holds (region, since, stale, active) VALUES ('eu-west-1', '2026-12-01 10:00:00.25', 5, 10);
            INSERT INTO mass_failure_overrides (region, armed_at, armed_by, expires_at) VALUES ('us-east-1', '2026-12-01 10:00:00', 'ops', '2099-12-01 11:00:00.0000001');
            UPDATE stale_detection_grace SET starts_at = '2026-12-01 10:15:00.75';
            """);

        await _storage.MigrateAsync(target: null);

        var alpha = await Workers(w => w.FindAsync(WorkerId.From("alpha"), CancellationToken.None));
        alpha!.RegisteredAt.Should().Be(At("2026-12-01T00:00:00"));
        alpha.LastHeartbeatAt.Should().Be(At("2026-12-01T10:20:30.1234567"));
        var beta = await Workers(w => w.FindAsync(WorkerId.From("beta"), CancellationToken.None));
        beta!.RegisteredAt.Should().Be(At("2026-12-01T00:00:00.5"));
        beta.LastHeartbeatAt.Should().BeNull();

        (await _storage.InScopeAsync<IHeartbeatStore, IReadOnlyList<DateTimeOffset>?>(h =>
                h.GetHistoryAsync(WorkerId.From("alpha"), 10, 100, CancellationToken.None)))
            .Should().Equal(At("2026-12-01T10:20:30.1234567"), At("2026-12-01T10:20:29.1"));

        var events = await _storage.InScopeAsync<IEventJournal, IReadOnlyList<Application.Events.WorkerEvent>>(j =>
            j.ReadAfterAsync(0, 10, CancellationToken.None));
        events.Select(e => e.At).Should().Equal(At("2026-12-01T00:00:00"), At("2026-12-01T10:21:00.0000001"));
        events[1].LastHeartbeatAt.Should().Be(At("2026-12-01T10:20:30.1234567"));
        events[1].Cutoff.Should().Be(At("2026-12-01T10:19:00"));

        var control = await _storage.InScopeAsync<ILifecycleControl, ControlState>(c => c.ReadAsync(At("2026-12-01T10:30:00"), CancellationToken.None));
        control.Held.Should().ContainSingle().Which.Since.Should().Be(At("2026-12-01T10:00:00.25"));
        control.Overrides.Should().ContainSingle().Which.ExpiresAt.Should().Be(At("2099-12-01T11:00:00.0000001"));
        (await _storage.InScopeAsync<WorkerFleetDbContext, List<DateTime>>(db =>
                db.ReadAsync("SELECT starts_at FROM stale_detection_grace", [], row => db.GetTimestamp(row, 0), CancellationToken.None)))
            .Should().Equal(At("2026-12-01T10:15:00.75").UtcDateTime);
    }

    [Test]
    public async Task The_rebuilt_tables_have_the_indexes_and_triggers_they_had()
    {
        await _storage.MigrateAsync("0");
        await _storage.MigrateAsync(TextTimestamps);
        var before = await IndexesAndTriggersAsync();

        await _storage.MigrateAsync(target: null);

        before.Should().Contain(o => o.StartsWith("trigger workers_reindex_capabilities", StringComparison.Ordinal));
        (await IndexesAndTriggersAsync()).Should().Equal(before);
    }

    [Test]
    public async Task The_rebuilt_tables_keep_their_triggers_cascade_and_the_journals_next_sequence()
    {
        await _storage.MigrateAsync(TextTimestamps);
        await SqlAsync("""
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, heartbeats_recorded, version, token_hash)
            VALUES ('alpha', 'eu-west-1', 8, '["gpu"]', json_object(), 'Active', '2026-12-01 00:00:00', 1, 1, 'hash-alpha');
            INSERT INTO worker_heartbeats (worker_id, slot, sequence, received_at) VALUES ('alpha', 0, 1, '2026-12-01 10:20:29');
            INSERT INTO worker_events (at, worker_id, type, to_status, actor)
            VALUES ('2026-12-01 00:00:00', 'alpha', 'registered', 'Pending', 'key'), ('2026-12-01 00:00:01', 'beta', 'registered', 'Pending', 'key');
            DELETE FROM worker_events WHERE worker_id = 'beta';
            """);

        await _storage.MigrateAsync(target: null);
        (await Workers(w => w.TryAddAsync(CapabilitySelectionTests.Worker("gamma", ["gpu"]), "key", CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.RemoveAsync(WorkerId.From("alpha"), null, TestChange.Now, CancellationToken.None))).Should().BeTrue();

        (await QueryAsync("SELECT capability || ':' || worker_id AS \"Value\" FROM worker_capabilities")).Should().Equal("gpu:gamma");
        (await QueryAsync("SELECT CAST(count(*) AS TEXT) AS \"Value\" FROM worker_heartbeats")).Should().Equal("0");
        // Sequence 2 was handed out before the migration, and deleted: the next events go on after it.
        var events = await _storage.InScopeAsync<IEventJournal, IReadOnlyList<Application.Events.WorkerEvent>>(j =>
            j.ReadAfterAsync(0, 10, CancellationToken.None));
        events.Select(e => e.Sequence).Should().Equal(1, 3, 4);
    }

    [Test]
    public async Task Undoing_it_writes_the_text_form_back()
    {
        await SqlAsync("""
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, last_heartbeat_at, heartbeats_recorded, version, token_hash)
            VALUES ('alpha', 'eu-west-1', 8, '[]', json_object(), 'Active', {0}, {1}, 1, 1, 'hash-alpha')
            """, At("2026-12-01T00:00:00").UtcDateTime, At("2026-12-01T10:20:30.1234500").UtcDateTime);

        await _storage.MigrateAsync(TextTimestamps);

        (await QueryAsync("SELECT registered_at || '|' || last_heartbeat_at AS \"Value\" FROM workers"))
            .Should().Equal("2026-12-01 00:00:00|2026-12-01 10:20:30.12345");
    }

    private static DateTimeOffset At(string utc) => DateTimeOffset.Parse(utc + "Z", System.Globalization.CultureInfo.InvariantCulture);

    private Task<T> Workers<T>(Func<IWorkerRepository, Task<T>> action) => _storage.InScopeAsync(action);

    private async Task SqlAsync(string sql, params object[] parameters) =>
        await _storage.InScopeAsync<WorkerFleetDbContext, int>(db =>
            db.Database.ExecuteSqlRawAsync(sql, parameters));

    private Task<List<string>> IndexesAndTriggersAsync() => QueryAsync(
        "SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || coalesce(sql, '') AS \"Value\" FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name");

    private Task<List<string>> QueryAsync(string sql) => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db =>
        db.Database.SqlQueryRaw<string>(sql).ToListAsync());
}
