namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A setting the service cannot run with stops start-up with a message naming it.</summary>
public class StartupValidationTests
{
    [TestCase("WorkerFleet:Lifecycle:ActivationCron", "every ten seconds", "WorkerFleet:Lifecycle:ActivationCron")]
    [TestCase("WorkerFleet:Lifecycle:StaleDetectionCron", "* * *", "WorkerFleet:Lifecycle:StaleDetectionCron")]
    [TestCase("WorkerFleet:Lifecycle:HeartbeatTimeout", "-00:01:00", "WorkerFleet:Lifecycle:HeartbeatTimeout")]
    [TestCase("WorkerFleet:Lifecycle:MinHeartbeatInterval", "00:00:41", "WorkerFleet:Lifecycle:MinHeartbeatInterval")]
    [TestCase("WorkerFleet:Lifecycle:HeartbeatHistorySize", "0", "WorkerFleet:Lifecycle:HeartbeatHistorySize")]
    [TestCase("WorkerFleet:Storage:Provider", "Postgres", "ConnectionStrings:WorkerFleet")]
    [TestCase("WorkerFleet:Security:AdminKeys:0", "", "WorkerFleet:Security:AdminKeys")]
    [TestCase("WorkerFleet:Security:ReaderKeys:0", "short-key", "WorkerFleet:Security:ReaderKeys")]
    [TestCase("WorkerFleet:Security:RegistrationKeys:0", "0123456789012345678901234567890", "WorkerFleet:Security:RegistrationKeys")]
    public void Start_up_fails_naming_the_setting(string setting, string value, string named)
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?> { [setting] = value });

        var start = () => api.CreateClient();

        // The operator reads the host's own failure line. Not the exception the test host rethrows: when a host fails
        // to start, WebApplicationFactory sometimes surfaces an ObjectDisposedException of its own instead.
        start.Should().Throw<Exception>();
        api.Logs.Lines.Should().Contain(line => line.Contains("Hosting failed to start", StringComparison.Ordinal)
            && line.Contains(named, StringComparison.Ordinal));
    }
}
