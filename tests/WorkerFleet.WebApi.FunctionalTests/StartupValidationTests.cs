using System.Net;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A setting the service cannot run with stops start-up with a message naming it.</summary>
public class StartupValidationTests
{
    [TestCase("WorkerFleet:Lifecycle:ActivationCron", "every ten seconds", "WorkerFleet:Lifecycle:ActivationCron")]
    [TestCase("WorkerFleet:Lifecycle:StaleDetectionCron", "* * *", "WorkerFleet:Lifecycle:StaleDetectionCron")]
    [TestCase("WorkerFleet:Lifecycle:HeartbeatTimeout", "-00:01:00", "WorkerFleet:Lifecycle:HeartbeatTimeout")]
    [TestCase("WorkerFleet:Lifecycle:MinHeartbeatInterval", "00:00:41", "WorkerFleet:Lifecycle:MinHeartbeatInterval")]
    [TestCase("WorkerFleet:Lifecycle:HeartbeatHistorySize", "0", "WorkerFleet:Lifecycle:HeartbeatHistorySize")]
    [TestCase("WorkerFleet:Lifecycle:ReactivationCron", "0/30 * * * *", "WorkerFleet:Lifecycle:ReactivationCron")]
    [TestCase("WorkerFleet:Events:RetentionCron", "daily", "WorkerFleet:Events:RetentionCron")]
    [TestCase("WorkerFleet:Storage:Provider", "Postgres", "ConnectionStrings:WorkerFleet")]
    [TestCase("WorkerFleet:Storage:SqlitePath", " ", "WorkerFleet:Storage:SqlitePath")]
    [TestCase("WorkerFleet:Storage:CommandTimeout", "00:00:00.999", "WorkerFleet:Storage:CommandTimeout")]
    [TestCase("WorkerFleet:Storage:WriteBatchSize", "0", "WorkerFleet:Storage:WriteBatchSize")]
    [TestCase("WorkerFleet:Storage:WriteBatchSize", "10001", "WorkerFleet:Storage:WriteBatchSize")]
    [TestCase("WorkerFleet:Scheduling:Clustered", "true", "WorkerFleet:Scheduling:Clustered needs WorkerFleet:Storage:Provider=Postgres")]
    [TestCase("WorkerFleet:Scheduling:ClusterCheckinInterval", "00:00:00.999", "WorkerFleet:Scheduling:ClusterCheckinInterval")]
    [TestCase("WorkerFleet:Security:AdminKeys:0", "", "WorkerFleet:Security:AdminKeys")]
    [TestCase("WorkerFleet:Security:ReaderKeys:0", "short-key", "WorkerFleet:Security:ReaderKeys")]
    [TestCase("WorkerFleet:Security:RegistrationKeys:0", "0123456789012345678901234567890", "WorkerFleet:Security:RegistrationKeys")]
    [TestCase("WorkerFleet:Security:RegistrationRateLimit", "0", "WorkerFleet:Security:RegistrationRateLimit")]
    [TestCase("WorkerFleet:Security:RegistrationRateWindow", "00:00:00", "WorkerFleet:Security:RegistrationRateWindow")]
    [TestCase("WorkerFleet:Security:FailedAuthenticationLimit", "0", "WorkerFleet:Security:FailedAuthenticationLimit")]
    [TestCase("WorkerFleet:Security:FailedAuthenticationWindow", "-00:01:00", "WorkerFleet:Security:FailedAuthenticationWindow")]
    [TestCase("WorkerFleet:Security:MaxStreamsPerCaller", "0", "WorkerFleet:Security:MaxStreamsPerCaller")]
    [TestCase("WorkerFleet:Security:ReaderKeys:1", WorkerFleetApi.AdminKey, "more than one key is named 'adeab5d1'")]
    public void Start_up_fails_naming_the_setting(string setting, string value, string named) =>
        StartUpFails(new Dictionary<string, string?> { [setting] = value }, named);

    [TestCase("WorkerFleet:Storage:CommandTimeout", "00:00:01")]
    [TestCase("WorkerFleet:Storage:WriteBatchSize", "1")]
    [TestCase("WorkerFleet:Storage:WriteBatchSize", "10000")]
    [TestCase("WorkerFleet:Scheduling:ClusterCheckinInterval", "00:00:01")]
    public async Task Start_up_takes_each_storage_and_scheduling_setting_at_the_edge_of_its_range(string setting, string value)
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?> { [setting] = value });
        using var client = api.CreateOperatorClient();

        (await client.RegisterAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [TestCase("grafana admin")]
    [TestCase("-grafana")]
    [TestCase("grafana\nadmin key ops")]
    [TestCase("a-name-of-sixty-five-characters-0123456789abcdefghijklmnopqrstuvw")]
    public void Start_up_fails_on_a_key_name_that_could_forge_an_audit_line(string name) =>
        StartUpFails(
            new Dictionary<string, string?>
            {
                ["WorkerFleet:Security:ReaderKeys:1:Key"] = "grafana-reader-key-0123456789abcdef0123456789",
                ["WorkerFleet:Security:ReaderKeys:1:Name"] = name,
            },
            "WorkerFleet:Security:ReaderKeys: a key's Name must be 1 to 64 letters");

    [Test]
    public void Start_up_fails_when_two_keys_share_a_name() =>
        StartUpFails(
            new Dictionary<string, string?>
            {
                ["WorkerFleet:Security:AdminKeys:1:Key"] = "second-admin-key-0123456789abcdef0123456789",
                ["WorkerFleet:Security:AdminKeys:1:Name"] = "ops",
                ["WorkerFleet:Security:ReaderKeys:1:Key"] = "grafana-reader-key-0123456789abcdef0123456789",
                ["WorkerFleet:Security:ReaderKeys:1:Name"] = "OPS",
            },
            "more than one key is named 'ops'");

    private static void StartUpFails(Dictionary<string, string?> settings, string named)
    {
        using var api = new WorkerFleetApi(settings);

        var start = () => api.CreateClient();

        // The operator reads the host's own failure line. Not the exception the test host rethrows: when a host fails
        // to start, WebApplicationFactory sometimes surfaces an ObjectDisposedException of its own instead.
        start.Should().Throw<Exception>();
        api.Logs.Lines.Should().Contain(line => line.Contains("Hosting failed to start", StringComparison.Ordinal)
            && line.Contains(named, StringComparison.Ordinal));
    }
}
