using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
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
        await MigrateAsync("20261202115806_AddSchedulingSelection");
        await AddAsync("alpha", "gpu", "ssd");
        await AddAsync("beta", "ssd");

        await MigrateAsync(target: null);

        (await IndexedAsync()).Should().Equal("gpu:eu-west-1:8:alpha", "ssd:eu-west-1:8:alpha", "ssd:us-east-1:4:beta");
        (await CountedAsync()).Should().Equal("gpu:1", "ssd:2");
        (await CapabilitySelectionTests.SelectAsync(_storage, ["ssd", "gpu"])).Should().Equal("alpha");
    }

    [Test]
    public async Task The_migration_that_adds_region_and_capacity_fills_them_for_the_workers_indexed_before_it()
    {
        await MigrateAsync("20261204031500_LighterCapabilityTriggers");
        await AddAsync("alpha", "gpu", "ssd");
        await AddAsync("beta", "ssd");

        await MigrateAsync(target: null);
        (await _storage.InScopeAsync<IWorkerRepository, bool>(w => w.RemoveAsync(WorkerId.From("alpha"), null, TestChange.Now, CancellationToken.None)))
            .Should().BeTrue();
        await AddAsync("gamma", "ssd");

        (await IndexedAsync()).Should().Equal("ssd:us-east-1:4:beta", "ssd:us-east-1:4:gamma");
        (await CountedAsync()).Should().Equal("gpu:0", "ssd:2");
    }

    /// <summary>Migrates the schema, up or down, to the migration <paramref name="target"/>, or with null to the latest.</summary>
    private Task<bool> MigrateAsync(string? target) => _storage.InScopeAsync<WorkerFleetDbContext, bool>(async db =>
    {
        await db.GetService<IMigrator>().MigrateAsync(target);
        return true;
    });

    // alpha runs in eu-west-1 with capacity 8, every other worker in us-east-1 with capacity 4.
    private async Task AddAsync(string id, params string[] capabilities) =>
        (await _storage.InScopeAsync<IWorkerRepository, bool>(w => w.TryAddAsync(
            id == "alpha" ? CapabilitySelectionTests.Worker(id, capabilities) : CapabilitySelectionTests.Worker(id, capabilities, "us-east-1", 4),
            "test", CancellationToken.None))).Should().BeTrue();

    private Task<List<string>> CountedAsync() => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db => db.Database
        .SqlQueryRaw<string>("SELECT capability || ':' || workers AS \"Value\" FROM capability_counts ORDER BY capability")
        .ToListAsync());

    private Task<List<string>> IndexedAsync() => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db => db.Database
        .SqlQueryRaw<string>("SELECT capability || ':' || region || ':' || capacity || ':' || worker_id AS \"Value\" FROM worker_capabilities ORDER BY capability, worker_id")
        .ToListAsync());
}
