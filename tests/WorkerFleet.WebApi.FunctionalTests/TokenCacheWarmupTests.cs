using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkerFleet.Domain.Workers;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A restarted instance starts with the fleet's tokens in its cache, so the fleet's next round of heartbeats
/// costs no token lookup each; the cache stays a cache, and the write still refuses a rotated-out token.</summary>
public class TokenCacheWarmupTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("workerfleet-warmup-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task An_instance_starts_with_the_tokens_of_the_workers_registered_before_it()
    {
        string alpha, beta;
        using (var before = Api())
        {
            using var registrar = before.CreateOperatorClient();
            alpha = await registrar.RegisterForTokenAsync("alpha");
            beta = await registrar.RegisterForTokenAsync("beta");
        }

        using var after = Api();
        using var @operator = after.CreateOperatorClient();
        await after.Services.GetServices<IHostedService>().OfType<WorkerTokenCacheWarmup>().Single().ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        after.Logs.Lines.Should().Contain(line => line.Contains("The worker token cache starts with 2 tokens", StringComparison.Ordinal));
        var tokens = after.Services.GetRequiredService<WorkerTokenCache>();
        tokens.WorkerOf(WorkerToken.HashOf(alpha)).Should().Be("alpha");
        tokens.WorkerOf(WorkerToken.HashOf(beta)).Should().Be("beta");
        using var worker = after.CreateClient(alpha);
        (await worker.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await @operator.PostAsync("/workers/alpha/token", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await worker.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(
            HttpStatusCode.Unauthorized, "the write refuses a token rotated out after the cache was filled");
    }

    [Test]
    public async Task An_instance_with_no_token_cache_starts_without_reading_the_tokens()
    {
        string alpha;
        using (var before = Api())
        {
            using var registrar = before.CreateOperatorClient();
            alpha = await registrar.RegisterForTokenAsync("alpha");
        }

        using var after = Api(("WorkerFleet:Security:WorkerTokenCacheSize", "0"));
        using var reader = after.CreateClient(WorkerFleetApi.ReaderKey);
        await after.Services.GetServices<IHostedService>().OfType<WorkerTokenCacheWarmup>().Single().ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        after.Logs.Lines.Should().NotContain(
            line => line.Contains("worker token cache", StringComparison.Ordinal), "neither a read nor a refused one is logged");
        after.Services.GetRequiredService<WorkerTokenCache>().WorkerOf(WorkerToken.HashOf(alpha)).Should().BeNull();
    }

    private WorkerFleetApi Api(params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["WorkerFleet:Storage:SqlitePath"] = Path.Combine(_directory, "workerfleet.db") };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new WorkerFleetApi(all);
    }
}
