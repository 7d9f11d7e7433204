using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>SQLite's capability index: a table of (capability, worker id) that triggers on workers keep.</summary>
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

        (await IndexedAsync()).Should().Equal("ssd:beta");
        (await CountedAsync()).Should().Equal("gpu:0", "ssd:1");
    }

    [Test]
    public async Task The_migration_indexes_the_capabilities_of_the_workers_registered_before_it()
    {
        await _storage.InScopeAsync<WorkerFleetDbContext, bool>(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync("20261202115806_AddSchedulingSelection");
            return true;
        });
        await AddAsync("alpha", "gpu", "ssd");
        await AddAsync("beta", "ssd");

        await _storage.InScopeAsync<WorkerFleetDbContext, bool>(async db =>
        {
            await db.GetService<IMigrator>().MigrateAsync();
            return true;
        });

        (await IndexedAsync()).Should().Equal("gpu:alpha", "ssd:alpha", "ssd:beta");
        (await CountedAsync()).Should().Equal("gpu:1", "ssd:2");
        (await CapabilitySelectionTests.SelectAsync(_storage, ["ssd", "gpu"])).Should().Equal("alpha");
    }

    private async Task AddAsync(string id, params string[] capabilities) =>
        (await _storage.InScopeAsync<IWorkerRepository, bool>(w => w.TryAddAsync(
            CapabilitySelectionTests.Worker(id, capabilities), "test", CancellationToken.None))).Should().BeTrue();

    private Task<List<string>> CountedAsync() => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db => db.Database
        .SqlQueryRaw<string>("SELECT capability || ':' || workers AS \"Value\" FROM capability_counts ORDER BY capability")
        .ToListAsync());

    private Task<List<string>> IndexedAsync() => _storage.InScopeAsync<WorkerFleetDbContext, List<string>>(db => db.Database
        .SqlQueryRaw<string>("SELECT capability || ':' || worker_id AS \"Value\" FROM worker_capabilities ORDER BY capability, worker_id")
        .ToListAsync());
}
