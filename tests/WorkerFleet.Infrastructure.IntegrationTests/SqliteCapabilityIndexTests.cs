using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>SQLite's capability index: a table of (capability, region, capacity, worker id) that triggers on workers
/// keep.</summary>
public class SqliteCapabilityIndexTests
{
    private TestStorage _storage = null!;

    [SetUp]
    public async Task CreateStorage() => _storage = await TestStorage.CreateAsync(StorageProvider.Sqlite);

    [TearDown]
    public async Task DropStorage() => await _storage.DisposeAsync();

    [Test]
    public async Task The_index_holds_exactly_each_workers_capabilities()
    {
        await AddAsync("alpha", "gpu", "ssd");
        await AddAsync("beta", "ssd");
        await AddAsync("gamma");
        (await _storage.InScopeAsync<IWorkerRepository, bool>(w => w.RemoveAsync(WorkerId.From("alpha"), null, TestChange.Now, CancellationToken.None)))
            .Should().BeTrue();

        (await IndexedAsync()).Should().Equal("ssd:us-east-1:4:beta");
        (await CountedAsync()).Should().Equal("gpu:0", "ssd:1");
    }

    [Test]
    public async Task The_migration_indexes_the_capabilities_of_the_workers_registered_before_it()
    {
        await _storage.MigrateAsync("20261202115806_AddSchedulingSelection");
        await AddAsOfThenAsync("alpha", "gpu", "ssd");
        await AddAsOfThenAsync("beta", "ssd");

        await _storage.MigrateAsync(target: null);

        (await IndexedAsync()).Should().Equal("gpu:eu-west-1:8:alpha", "ssd:eu-west-1:8:alpha", "ssd:us-east-1:4:beta");
        (await CountedAsync()).Should().Equal("gpu:1", "ssd:2");
        (await CapabilitySelectionTests.SelectAsync(_storage, ["ssd", "gpu"])).Should().Equal("alpha");
    }

    [Test]
    public async Task The_migration_that_adds_region_and_capacity_fills_them_for_the_workers_indexed_before_it()
    {
        await _storage.MigrateAsync("20261204031500_LighterCapabilityTriggers");
        await AddAsOfThenAsync("alpha", "gpu", "ssd");
        await AddAsOfThenAsync("beta", "ssd");

        await _storage.MigrateAsync(target: null);
        (await _storage.InScopeAsync<IWorkerRepository, bool>(w => w.RemoveAsync(WorkerId.From("alpha"), null, TestChange.Now, CancellationToken.None)))
            .Should().BeTrue();
        await AddAsync("gamma", "ssd");

        (await IndexedAsync()).Should().Equal("ssd:us-east-1:4:beta", "ssd:us-east-1:4:gamma");
        (await CountedAsync()).Should().Equal("gpu:0", "ssd:2");
    }

    // alpha runs in eu-west-1 with capacity 8, every other worker in us-east-1 with capacity 4.
    private async Task AddAsync(string id, params string[] capabilities) =>
        (await _storage.InScopeAsync<IWorkerRepository, bool>(w => w.TryAddAsync(
            id == "alpha" ? CapabilitySelectionTests.Worker(id, capabilities) : CapabilitySelectionTests.Worker(id, capabilities, "us-east-1", 4),
            "test", CancellationToken.None))).Should().BeTrue();

    /// <summary>Adds a worker as the service did before the migrations after the current one, with its timestamp in
    /// SQLite's text form: the repository writes today's schema.</summary>
    private async Task AddAsOfThenAsync(string id, params string[] capabilities) => await _storage.InScopeAsync<WorkerFleetDbContext, int>(db =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO workers (id, region, capacity, capabilities, metadata, status, registered_at, heartbeats_recorded, version)
            VALUES ({0}, {1}, {2}, {3}, json_object(), 'Pending', '2026-12-01 00:00:00', 0, 1)
            """,
            [id, id == "alpha" ? "eu-west-1" : "us-east-1", id == "alpha" ? 8 : 4, JsonSerializer.Serialize(capabilities)]));

    private Task<List<string>> CountedAsync() => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db => db.Database
        .SqlQueryRaw<string>("SELECT capability || ':' || workers AS \"Value\" FROM capability_counts ORDER BY capability")
        .ToListAsync());

    private Task<List<string>> IndexedAsync() => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db => db.Database
        .SqlQueryRaw<string>("SELECT capability || ':' || region || ':' || capacity || ':' || worker_id AS \"Value\" FROM worker_capabilities ORDER BY capability, worker_id")
        .ToListAsync());
}
