using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Two instances as real processes against one PostgreSQL, with the clustered Quartz job store and its
/// shared execution history.</summary>
public partial class ClusterTests
{
    private const string Never = "0 0 0 1 1 ? 2099";

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

        await ServiceProcess.WaitForAsync(() => Runs(first, second).Count >= 45, "45 job runs across the cluster", TimeSpan.FromSeconds(90), first, second);
        var together = Runs(first, second);
        EachFireRanExactlyOnce(together);
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
    public async Task Instances_starting_together_on_a_new_database_migrate_it_once_and_all_start()
    {
        using var first = StartInstance();
        using var second = StartInstance();
        using var third = StartInstance();

        await Task.WhenAll(first.WaitUntilHealthyAsync(), second.WaitUntilHealthyAsync(), third.WaitUntilHealthyAsync());

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var applied = new NpgsqlCommand("""SELECT count(*) - count(DISTINCT "MigrationId") FROM "__EFMigrationsHistory" """, connection);
        ((long)(await applied.ExecuteScalarAsync())!).Should().Be(0, "each migration is recorded once");
    }

    [Test]
    public async Task Alarms_and_the_mass_failure_override_are_the_same_on_every_instance()
    {
        using var pair = await OnDemandPair.StartAsync(StartOnDemandInstance);
        var (first, second, registrar, adminOfFirst, adminOfSecond) = pair;
        var ids = Enumerable.Range(1, 10).Select(i => $"dark-{i:D2}").ToArray();
        foreach (var id in ids)
        {
            (await registrar.RegisterAsync(id, "eu-west-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        // The whole region went silent a day ago, as in a partition.
        await ExecuteAsync("UPDATE workers SET status = 'Active', last_heartbeat_at = now() - interval '1 day'");

        // Stale detection on the first instance holds the region, once both instances' grace periods are over; the
        // second instance shows the alarm it raised.
        JsonElement alarm = default;
        await ServiceProcess.WaitForAsync(async () =>
        {
            (await adminOfFirst.PostAsync("/scheduler/run", null)).EnsureSuccessStatusCode();
            var alarms = (await (await adminOfSecond.GetAsync("/alarms")).ReadJsonAsync()).GetProperty("alarms");
            alarm = alarms.EnumerateArray().FirstOrDefault(a => a.GetProperty("name").GetString() == "mass-failure");
            return alarm.ValueKind == JsonValueKind.Object;
        }, "the second instance to show the first one's mass-failure alarm", TimeSpan.FromSeconds(60), first, second);
        alarm.GetProperty("region").GetString().Should().Be("eu-west-1");
        alarm.GetProperty("stale").GetInt32().Should().Be(10);

        var armed = await adminOfFirst.PostAsync("/alarms/mass-failure/override?region=eu-west-1", null);
        armed.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await armed.ReadJsonAsync()).GetProperty("armedBy").GetString().Should().Be(WorkerFleetApi.AdminName);
        var overrides = (await (await adminOfSecond.GetAsync("/alarms")).ReadJsonAsync()).GetProperty("overrides");
        overrides.EnumerateArray().Should().ContainSingle().Which.GetProperty("region").GetString().Should().Be("eu-west-1");

        // The second instance's own grace period runs from its first request: its stale detection waits it out, and
        // the override waits with it.
        string?[] markedOffline = [];
        await ServiceProcess.WaitForAsync(async () =>
        {
            var run = await (await adminOfSecond.PostAsync("/scheduler/run", null)).ReadJsonAsync();
            markedOffline = [.. run.GetProperty("markedOffline").EnumerateArray().Select(id => id.GetString())];
            return markedOffline.Length > 0;
        }, "stale detection on the second instance to use the override", TimeSpan.FromSeconds(60), first, second);

        markedOffline.Should().BeEquivalentTo(ids, "the override posted to the first instance lets the second instance's stale detection through");
        var after = await (await adminOfFirst.GetAsync("/alarms")).ReadJsonAsync();
        after.GetProperty("alarms").GetArrayLength().Should().Be(0);
        after.GetProperty("overrides").GetArrayLength().Should().Be(0, "the override was used once");
    }

    [Test]
    public async Task A_run_asked_for_on_one_instance_is_in_the_history_every_instance_shows()
    {
        using var pair = await OnDemandPair.StartAsync(StartOnDemandInstance);
        var (first, second, registrar, adminOfFirst, adminOfSecond) = pair;
        var registered = await (await registrar.RegisterAsync("asked-1", "eu-west-1")).ReadJsonAsync();
        using var worker = first.CreateClient(registered.GetProperty("token").GetString()!);
        (await worker.HeartbeatAsync("asked-1")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await adminOfFirst.PostAsync("/scheduler/run", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var history = await (await adminOfSecond.GetAsync(
            "/quartz-api/schedulers/QuartzScheduler/history/executions?jobGroup=lifecycle&jobName=activate-pending-workers&take=10")).ReadJsonAsync();
        var run = history.GetProperty("items").EnumerateArray().Should().ContainSingle("the one run of activation was asked for on the first instance").Subject;
        run.GetProperty("manual").GetBoolean().Should().BeTrue();
        run.GetProperty("summary").GetString().Should().Be("Moved 1 worker(s): asked-1.");
        (await HistoryInstancesAsync(second)).Should().ContainSingle()
            .Which.Should().Be(run.GetProperty("schedulerInstanceId").GetString(), "the runs are the first instance's, read from the shared history");
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

    /// <summary>Two on-demand instances on the database, started one after the other, with the clients the tests use.</summary>
    private sealed record OnDemandPair(ServiceProcess First, ServiceProcess Second, HttpClient Registrar, HttpClient AdminOfFirst, HttpClient AdminOfSecond)
        : IDisposable
    {
        public static async Task<OnDemandPair> StartAsync(Func<ServiceProcess> start)
        {
            var first = start();
            ServiceProcess? second = null;
            try
            {
                await first.WaitUntilHealthyAsync();
                second = start();
                await second.WaitUntilHealthyAsync();
            }
            catch
            {
                // No process outlives a start that failed.
                second?.Dispose();
                first.Dispose();
                throw;
            }

            return new(first, second, first.CreateClient(ServiceProcess.RegistrationKey),
                first.CreateClient(ServiceProcess.AdminKey), second.CreateClient(ServiceProcess.AdminKey));
        }

        public void Dispose()
        {
            Registrar.Dispose();
            AdminOfFirst.Dispose();
            AdminOfSecond.Dispose();
            Second.Dispose();
            First.Dispose();
        }
    }

    /// <summary>A clustered instance whose lifecycle jobs run only when asked (POST /scheduler/run), with a short timeout.</summary>
    private ServiceProcess StartOnDemandInstance() => ServiceProcess.Start(_directory, new Dictionary<string, string>
    {
        ["WorkerFleet:Storage:Provider"] = "Postgres",
        ["ConnectionStrings:WorkerFleet"] = _database.ConnectionString,
        ["WorkerFleet:Scheduling:Clustered"] = "true",
        ["WorkerFleet:Lifecycle:HeartbeatTimeout"] = "00:00:02",
        ["WorkerFleet:Lifecycle:MinHeartbeatInterval"] = "00:00:00.5",
        ["WorkerFleet:Lifecycle:ActivationCron"] = Never,
        ["WorkerFleet:Lifecycle:StaleDetectionCron"] = Never,
        ["WorkerFleet:Lifecycle:ReactivationCron"] = Never,
    });

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The instances that ran the jobs, as the Quartz HTTP API of <paramref name="service"/> reports its history.</summary>
    private static async Task<IReadOnlyList<string>> HistoryInstancesAsync(ServiceProcess service)
    {
        using var client = service.CreateClient(ServiceProcess.AdminKey);
        var history = await (await client.GetAsync("/quartz-api/schedulers/QuartzScheduler/history/executions?take=1000")).ReadJsonAsync();
        return [.. history.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("schedulerInstanceId").GetString()!).Distinct()];
    }

    /// <summary>No fire ran twice, and none is missing: each job's fires, from the first seen to ten seconds before the
    /// latest fire of any job (a later one may still be starting), are its schedule's every two seconds.</summary>
    private static void EachFireRanExactlyOnce(List<(string Job, string ScheduledFor, string Instance)> runs)
    {
        runs.GroupBy(r => (r.Job, r.ScheduledFor)).Should().OnlyContain(fire => fire.Count() == 1, "no fire runs twice");
        var times = runs.Select(r => (r.Job, At: DateTimeOffset.Parse(r.ScheduledFor, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var settled = times.Max(r => r.At) - TimeSpan.FromSeconds(10);
        foreach (var job in times.GroupBy(r => r.Job))
        {
            var fires = job.Select(r => r.At).Where(at => at <= settled).Order().ToList();
            fires.Should().HaveCountGreaterThanOrEqualTo(3, $"{job.Key} ran long enough to judge");
            fires.Zip(fires.Skip(1), (earlier, later) => later - earlier)
                .Should().OnlyContain(gap => gap == TimeSpan.FromSeconds(2), $"{job.Key} runs every fire of its schedule, once");
        }
    }

    private static List<(string Job, string ScheduledFor, string Instance)> Runs(params ServiceProcess[] services) =>
        [.. services.SelectMany(s => RunLine().Matches(s.Output.Replace("\n", " ", StringComparison.Ordinal)))
            .Select(m => (m.Groups["job"].Value, m.Groups["at"].Value, m.Groups["instance"].Value))];

    [GeneratedRegex(@"(?<job>\w+) runs on instance (?<instance>\S+) for the fire scheduled at (?<at>\S+)")]
    private static partial Regex RunLine();
}
