using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>A selection by capability answers the same whichever way the database reads it: from the rarest required
/// capability's workers (SQLite's capability index) or along the primary key (a capability so common that the index
/// would read more, and PostgreSQL's GIN index).</summary>
public class CapabilitySelectionTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task A_common_and_a_rare_capability_select_the_same_workers_in_id_order_and_follow_registrations_and_removals()
    {
        // More workers with "common" than SQLite starts a selection from; one in 1,000 also has "rare".
        var fleet = CapabilitySelection.StartFromCapabilityBelow + 50;
        var added = await Task.WhenAll(Enumerable.Range(1, fleet).Select(i => Workers(w => w.TryAddAsync(
            Worker(Id(i), i % 1000 == 7 ? ["common", "rare"] : ["common"]), "test", CancellationToken.None))));
        added.Should().AllSatisfy(a => a.Should().BeTrue());
        var rare = Enumerable.Range(1, fleet).Where(i => i % 1000 == 7).Select(Id).Order(StringComparer.Ordinal).ToList();

        (await Select(["common"], take: 3)).Should().Equal(Id(1), Id(2), Id(3));
        (await Select(["common"], after: Id(fleet - 2), take: 5)).Should().Equal(Id(fleet - 1), Id(fleet));
        (await Select(["rare"])).Should().Equal(rare);
        (await Select(["common", "rare"])).Should().Equal(rare);
        (await Select(["rare", "common"], after: rare[0], take: 2)).Should().Equal(rare[1], rare[2]);
        (await Select(["rare", "absent"])).Should().BeEmpty();

        (await Workers(w => w.RemoveAsync(WorkerId.From(rare[0]), null, TestChange.Now, CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TryAddAsync(Worker("a-new-one", ["rare"]), "test", CancellationToken.None))).Should().BeTrue();

        (await Select(["rare"])).Should().Equal(["a-new-one", .. rare.Skip(1)]);
        (await Select(["common", "rare"])).Should().Equal(rare.Skip(1));
    }

    [Test]
    public async Task A_rare_capability_selects_by_region_and_minimum_capacity_with_the_minimum_itself_included()
    {
        (await Workers(w => w.TryAddAsync(Worker("eu-7", ["rare"], "eu-west-1", 7), "test", CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TryAddAsync(Worker("eu-8", ["rare"], "eu-west-1", 8), "test", CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TryAddAsync(Worker("eu-9", ["rare", "ssd"], "eu-west-1", 9), "test", CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TryAddAsync(Worker("us-9", ["rare"], "us-east-1", 9), "test", CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.TryAddAsync(Worker("eu-9-plain", ["ssd"], "eu-west-1", 9), "test", CancellationToken.None))).Should().BeTrue();

        (await Select(new WorkerSelection(Region: "eu-west-1", Capabilities: ["rare"], MinCapacity: 8))).Should().Equal("eu-8", "eu-9");
        (await Select(new WorkerSelection(Region: "eu-west-1", Capabilities: ["rare"]))).Should().Equal("eu-7", "eu-8", "eu-9");
        (await Select(new WorkerSelection(Capabilities: ["rare"], MinCapacity: 9))).Should().Equal("eu-9", "us-9");
        (await Select(new WorkerSelection(Region: "us-east-1", Capabilities: ["rare", "ssd"]))).Should().BeEmpty();
        (await Select(new WorkerSelection(Region: "eu-west-1", Capabilities: ["ssd", "rare"], MinCapacity: 9))).Should().Equal("eu-9");
    }

    private static string Id(int i) => $"w-{i:D5}";

    internal static Worker Worker(string id, string[] capabilities, string region = "eu-west-1", int capacity = 8) =>
        Domain.Workers.Worker.Register(
            WorkerId.From(id), new WorkerConfiguration(region, capacity, capabilities, new Dictionary<string, string>()), Now, WorkerToken.Issue());

    private async Task<List<string>> Select(WorkerSelection selection) =>
        (await Workers(w => w.ListAsync(selection, null, 100, CancellationToken.None))).Select(w => w.Id.Value).ToList();

    private Task<List<string>> Select(string[] capabilities, string? after = null, int take = 100) =>
        SelectAsync(Storage, capabilities, after, take);

    internal static async Task<List<string>> SelectAsync(TestStorage storage, string[] capabilities, string? after = null, int take = 100) =>
        (await storage.InScopeAsync<IWorkerRepository, IReadOnlyList<Worker>>(w => w.ListAsync(
            new WorkerSelection(Capabilities: capabilities), after is null ? null : WorkerId.From(after), take, CancellationToken.None)))
        .Select(w => w.Id.Value).ToList();
}
