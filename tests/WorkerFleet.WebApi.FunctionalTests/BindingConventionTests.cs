using System.Net;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Where the service listens follows ASP.NET Core's conventions, as containers and process managers set
/// them: a real process, started without <c>--urls</c> in the folder it was published to, so it reads its own
/// appsettings.json as a deployed service does.</summary>
[NonParallelizable]
public sealed class BindingConventionTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("workerfleet-binding-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    /// <summary>The settings, and a database outside the build output.</summary>
    private Dictionary<string, string> Settings(params (string Key, string Value)[] settings)
    {
        var all = settings.ToDictionary(s => s.Key, s => s.Value);
        all["WorkerFleet:Storage:SqlitePath"] = Path.Combine(_directory, "workerfleet.db");
        return all;
    }

    [Test]
    public async Task ASPNETCORE_URLS_sets_the_address()
    {
        using var service = ServiceProcess.Start(AppContext.BaseDirectory, Settings(("ASPNETCORE_URLS", "http://127.0.0.1:0")), urls: null);

        await service.WaitUntilHealthyAsync();
        service.Output.Should().Contain($"Now listening on: http://127.0.0.1:{service.Port}").And.NotContain("localhost:8080");
    }

    [Test]
    public async Task ASPNETCORE_HTTP_PORTS_sets_the_port_on_every_interface()
    {
        using var service = ServiceProcess.Start(AppContext.BaseDirectory, Settings(("ASPNETCORE_HTTP_PORTS", "0")), urls: null);

        await service.WaitUntilHealthyAsync();
        service.Output.Should().Contain($"Now listening on: http://[::]:{service.Port}");
    }

    [Test]
    public async Task Without_any_address_setting_the_service_listens_on_localhost_8080()
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var taken = await probe.GetAsync("http://localhost:8080/health").ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
        if (taken)
        {
            Assert.Ignore("Something already listens on localhost:8080, the port this test needs free.");
        }

        using var service = ServiceProcess.Start(AppContext.BaseDirectory, Settings(), urls: null);

        await service.WaitUntilHealthyAsync();
        service.Output.Should().Contain("http://localhost:8080");
        (await probe.GetAsync("http://localhost:8080/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
