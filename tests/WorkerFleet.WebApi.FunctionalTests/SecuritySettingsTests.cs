using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace WorkerFleet.WebApi.FunctionalTests;

public class SecuritySettingsTests
{
    [Test]
    public async Task Heartbeats_over_the_rate_limit_get_429_with_retry_after_and_record_nothing()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Security:HeartbeatRateLimit"] = "3",
            ["WorkerFleet:Security:HeartbeatRateWindow"] = "00:10:00",
        });
        using var client = api.CreateOperatorClient();
        await client.RegisterAsync("alpha");
        await client.RegisterAsync("beta");
        for (var i = 0; i < 3; i++)
        {
            (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        var before = await FleetSnapshot.TakeAsync(api);
        var limited = await client.HeartbeatAsync("alpha");

        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-heartbeats");
        limited.Headers.RetryAfter!.Delta.Should().BePositive();
        (await FleetSnapshot.TakeAsync(api)).Should().Be(before);
        (await client.HeartbeatAsync("beta")).StatusCode.Should().Be(HttpStatusCode.OK, "each worker has its own budget");
    }

    [Test]
    public async Task A_workers_heartbeat_budget_refills_when_its_window_ends()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Security:HeartbeatRateLimit"] = "2",
            ["WorkerFleet:Security:HeartbeatRateWindow"] = "00:01:00",
        });
        using var client = api.CreateOperatorClient();
        await client.RegisterAsync("alpha");
        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        var limited = await client.HeartbeatAsync("alpha");
        await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, "too-many-heartbeats");

        // The windows begin on the minute, and the clock started 5 s past one.
        limited.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(55));

        api.Clock.Advance(TimeSpan.FromSeconds(54));
        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK, "Retry-After is when the window ends");
        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the new window holds two as well");
    }

    [Test]
    public async Task Development_runs_out_of_the_box_with_the_documented_development_keys()
    {
        using var api = new DevelopmentApi();
        using var client = api.CreateClient();
        using var register = new HttpRequestMessage(HttpMethod.Post, "/workers")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { id = "worker-1", region = "us-east-1", capacity = 10 }),
        };
        register.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "dev-registration-key-change-me-0123456789");

        (await client.SendAsync(register)).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.GetAsync("/openapi/v1.json")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [TestCase("/openapi/v1.json")]
    [TestCase("/openapi/quartz.json")]
    [TestCase("/scalar")]
    public async Task Outside_development_the_api_reference_is_not_served_unless_asked_for(string path)
    {
        using var hidden = new WorkerFleetApi(new Dictionary<string, string?> { ["WorkerFleet:ApiReference"] = null });
        using var asked = new WorkerFleetApi(new Dictionary<string, string?> { ["WorkerFleet:ApiReference"] = "true" });

        (await hidden.CreateClient(WorkerFleetApi.AdminKey).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await asked.CreateClient(WorkerFleetApi.AdminKey).GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_service_process_refuses_to_start_in_production_without_keys_and_names_the_setting()
    {
        var directory = Directory.CreateTempSubdirectory("workerfleet-production-").FullName;
        try
        {
            using var service = ServiceProcess.Start(
                directory, new Dictionary<string, string> { ["WorkerFleet:Storage:SqlitePath"] = Path.Combine(directory, "workerfleet.db") }, withKeys: false);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

            await service.WaitForExitAsync(timeout.Token);

            service.ExitCode.Should().NotBe(0);
            service.Output.Should().Contain("WorkerFleet:Security:AdminKeys")
                .And.Contain("WorkerFleet:Security:ReaderKeys")
                .And.Contain("WorkerFleet:Security:RegistrationKeys");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The service exactly as the README's run command starts it: Development, its own settings files.</summary>
    private sealed class DevelopmentApi : WebApplicationFactory<Program>
    {
        private readonly string _directory = Directory.CreateTempSubdirectory("workerfleet-dev-").FullName;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("WorkerFleet:Storage:SqlitePath", Path.Combine(_directory, "workerfleet.db"));
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing && Directory.Exists(_directory))
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(_directory, recursive: true);
            }
        }
    }
}
