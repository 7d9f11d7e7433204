using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Two instances as real processes against one PostgreSQL, with the clustered Quartz job store and its
/// shared execution history.</summary>
public partial class ClusterTests
{
    private TestDatabase _database = null!;
    private string _directory = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        _database = await TestDatabase.CreateAsync("cluster");
        _directory = Directory.CreateTempSubdirectory("workerfleet-cluster-").FullName;
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await _database.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task Each_fire_runs_on_exactly_one_instance_and_a_survivor_keeps_the_schedule()
    {
        using var first = StartInstance();
        await first.WaitUntilHealthyAsync();
        using var second = StartInstance();
        await second.WaitUntilHealthyAsync();

        await ServiceProcess.WaitForAsync(() => Runs(first, second).Count >= 30, "30 job runs across the cluster", TimeSpan.FromSeconds(90), first, second);
        var together = Runs(first, second);
        together.GroupBy(r => (r.Job, r.ScheduledFor)).Should().OnlyContain(fire => fire.Count() == 1, "no fire runs twice");
        together.Select(r => r.Job).Distinct().Should().HaveCount(3);

        var instanceOfFirst = Runs(first).Select(r => r.Instance).FirstOrDefault();
        instanceOfFirst.Should().NotBeNull("both instances take fires");
        (await HistoryInstancesAsync(second)).Should().Contain(instanceOfFirst,
            "the execution history is kept in the shared database, so each instance shows the other's runs");
        first.Kill();
        var runsBeforeKill = Runs(second).Count;

        // The survivor runs every job again, including those the dead instance held when it died.
        await ServiceProcess.WaitForAsync(
            () => Runs(second).Skip(runsBeforeKill).Select(r => r.Job).Distinct().Count() == 3 && Runs(second).Count >= runsBeforeKill + 12,
            "the survivor to run all three jobs", TimeSpan.FromSeconds(90), second);
        var all = Runs(first, second);
        all.GroupBy(r => (r.Job, r.ScheduledFor)).Should().OnlyContain(fire => fire.Count() == 1, "no fire runs twice");
        Runs(second).Select(r => r.Instance).Distinct().Should().ContainSingle().Which.Should().NotBe(instanceOfFirst);
    }

    [Test]
    public async Task A_clustered_store_on_SQLite_is_refused_at_start_up()
    {
        using var service = ServiceProcess.Start(_directory, new Dictionary<string, string>
        {
            ["WorkerFleet:Scheduling:Clustered"] = "true",
            ["WorkerFleet:Storage:SqlitePath"] = Path.Combine(_directory, "workerfleet.db"),
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await service.WaitForExitAsync(timeout.Token);

        service.ExitCode.Should().NotBe(0);
        service.Output.Should().Contain("WorkerFleet:Scheduling:Clustered needs WorkerFleet:Storage:Provider=Postgres");
    }

    private ServiceProcess StartInstance() => ServiceProcess.Start(_directory, new Dictionary<string, string>
    {
        ["WorkerFleet:Storage:Provider"] = "Postgres",
        ["ConnectionStrings:WorkerFleet"] = _database.ConnectionString,
        ["WorkerFleet:Scheduling:Clustered"] = "true",
        ["WorkerFleet:Scheduling:ClusterCheckinInterval"] = "00:00:02",
        ["WorkerFleet:Lifecycle:ActivationCron"] = "0/2 * * * * ?",
        ["WorkerFleet:Lifecycle:StaleDetectionCron"] = "1/2 * * * * ?",
        ["WorkerFleet:Lifecycle:ReactivationCron"] = "1/2 * * * * ?",
        ["Logging:LogLevel:WorkerFleet.Infrastructure.Scheduling"] = "Debug",
    });

    /// <summary>The instances that ran the jobs, as the Quartz HTTP API of <paramref name="service"/> reports its history.</summary>
    private static async Task<IReadOnlyList<string>> HistoryInstancesAsync(ServiceProcess service)
    {
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServiceProcess.AdminKey);
        var history = await (await client.GetAsync("/quartz-api/schedulers/QuartzScheduler/history/executions?take=1000")).ReadJsonAsync();
        return [.. history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("schedulerInstanceId").GetString()!).Distinct()];
    }

    private static List<(string Job, string ScheduledFor, string Instance)> Runs(params ServiceProcess[] services) =>
        [.. services.SelectMany(s => RunLine().Matches(s.Output.Replace("\n", " ", StringComparison.Ordinal)))
            .Select(m => (m.Groups["job"].Value, m.Groups["at"].Value, m.Groups["instance"].Value))];

    [GeneratedRegex(@"(?<job>\w+) runs on instance (?<instance>\S+) for the fire scheduled at (?<at>\S+)")]
    private static partial Regex RunLine();
}
