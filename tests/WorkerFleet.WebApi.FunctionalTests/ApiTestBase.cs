namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>One running service per fixture, emptied before each test. Fixtures pass the settings they need.</summary>
public abstract class ApiTestBase(IDictionary<string, string?>? settings = null, bool resetBetweenTests = true)
{
    internal WorkerFleetApi Api { get; private set; } = null!;

    internal HttpClient Client { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartService()
    {
        Api = new WorkerFleetApi(settings);
        Client = Api.CreateOperatorClient();
    }

    [OneTimeTearDown]
    public void StopService()
    {
        Client.Dispose();
        Api.Dispose();
    }

    [SetUp]
    public Task Reset() => resetBetweenTests ? Api.ResetAsync() : Task.CompletedTask;
}
