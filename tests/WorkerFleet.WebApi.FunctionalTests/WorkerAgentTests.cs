using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkerFleet.Client;
using WorkerFleet.Client.Agent;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The worker-side agent of the WorkerFleet.Client package in a worker host of its own, against the service as
/// a real process on a PostgreSQL of the test's own: it registers, keeps the worker Active through a crash and restart
/// of the service and through a database outage, stops on a rotated token until it is handed the new one, and
/// unregisters when its host stops. Real processes keep real time, so the test waits on the agent's state.</summary>
public class WorkerAgentTests
{
    private const string WorkerId = "agent-1";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(45);

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("workerfleet-agent-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    [CancelAfter(240_000)]
    public async Task The_agent_keeps_its_worker_active_through_a_service_restart_and_a_database_outage_and_unregisters_on_shutdown()
    {
        await using var postgres = await ThrowawayPostgres.StartAsync();
        var settings = new Dictionary<string, string>
        {
            ["WorkerFleet:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:WorkerFleet"] = postgres.ConnectionString,
            ["WorkerFleet:Lifecycle:HeartbeatTimeout"] = "00:00:15",
            ["WorkerFleet:Lifecycle:ActivationCron"] = "0/1 * * * * ?",
            ["WorkerFleet:Lifecycle:StaleDetectionCron"] = "0/1 * * * * ?",
            ["WorkerFleet:Lifecycle:ReactivationCron"] = "0/1 * * * * ?",
        };
        var service = ServiceProcess.Start(_directory, settings);
        try
        {
            await service.WaitUntilHealthyAsync();
            var tokenPath = Path.Combine(_directory, "agent-1.token");
            var logs = new LogCapture();
            using var host = WorkerHost(service.BaseAddress, tokenPath, logs);
            var agent = host.Services.GetRequiredService<IWorkerFleetAgentStatus>();
            using var admin = service.CreateClient(ServiceProcess.AdminKey);

            await host.StartAsync();
            await WaitForAsync(async () => agent.State == WorkerFleetAgentState.Heartbeating && await StatusAsync(admin) == "Active",
                "the agent to register and its worker to become Active", service);
            var token = (await File.ReadAllTextAsync(tokenPath)).Trim();
            token.Should().StartWith("wft_", "the agent keeps the token where the host said");

            // The service crashes and comes back on the same address; the worker never stops being Active.
            service.Kill();
            await WaitForAsync(() => Task.FromResult(agent.State == WorkerFleetAgentState.BackingOff), "the agent to notice the service is gone", service);
            var port = service.Port;
            service.Dispose();
            service = ServiceProcess.Start(_directory, settings, urls: $"http://127.0.0.1:{port}");
            await service.WaitUntilHealthyAsync();
            var beforeRestart = agent.LastHeartbeatAt;
            await WaitForAsync(() => Task.FromResult(agent.State == WorkerFleetAgentState.Heartbeating && agent.LastHeartbeatAt > beforeRestart),
                "the agent to heartbeat the restarted service", service);
            (await StatusAsync(admin)).Should().Be("Active");

            // The database goes away for a few seconds, less than the heartbeat timeout: 503s with Retry-After, then back.
            await postgres.StopAsync();
            await WaitForAsync(() => Task.FromResult(agent.State == WorkerFleetAgentState.BackingOff), "the agent to back off from the outage", service);
            agent.LastError.Should().Contain("503");
            await Task.Delay(TimeSpan.FromSeconds(3));
            await postgres.StartAgainAsync();
            var beforeRecovery = agent.LastHeartbeatAt;
            await WaitForAsync(() => Task.FromResult(agent.State == WorkerFleetAgentState.Heartbeating && agent.LastHeartbeatAt > beforeRecovery),
                "the agent to heartbeat again after the outage", service);
            (await StatusAsync(admin)).Should().Be("Active");

            // An operator rotates the token: the agent stops, says why, and goes on once it is handed the new token.
            var rotated = await (await admin.PostAsync($"/workers/{WorkerId}/token", null)).Content.ReadFromJsonAsync<RotatedToken>();
            await WaitForAsync(() => Task.FromResult(agent.State == WorkerFleetAgentState.TokenRefused), "the agent to report the refused token", service);
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
            health.Status.Should().Be(HealthStatus.Unhealthy);
            await File.WriteAllTextAsync(tokenPath, rotated!.Token);
            await WaitForAsync(() => Task.FromResult(agent.State == WorkerFleetAgentState.Heartbeating), "the agent to heartbeat with its new token", service);
            (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status.Should().Be(HealthStatus.Healthy);

            // Nothing in the worker's journal says it went Offline: the restart and the outage cost it nothing.
            var timeline = await admin.GetFromJsonAsync<EventPage>($"/workers/{WorkerId}/events?limit=100");
            timeline!.Items.Select(e => e.Type).Reverse().Should().Equal("registered", "status-changed", "token-rotated");
            timeline.Items.Should().NotContain(e => e.To == "Offline");

            await host.StopAsync();

            (await admin.GetAsync($"/workers/{WorkerId}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the agent unregisters on shutdown");
            agent.State.Should().Be(WorkerFleetAgentState.Stopped);
            logs.Lines.Should().NotBeEmpty().And.NotContain(line => line.Contains(token, StringComparison.Ordinal)
                || line.Contains(rotated.Token, StringComparison.Ordinal) || line.Contains(ServiceProcess.RegistrationKey, StringComparison.Ordinal));
        }
        finally
        {
            service.Dispose();
        }
    }

    private static IHost WorkerHost(Uri service, string tokenPath, LogCapture logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddWorkerFleetAgent(agent =>
        {
            agent.BaseAddress = service;
            agent.WorkerId = WorkerId;
            agent.Region = "eu-west-1";
            agent.Capacity = 8;
            agent.Capabilities.Add("gpu");
            agent.RegistrationKey = ServiceProcess.RegistrationKey;
            agent.TokenPath = tokenPath;
            agent.UnregisterOnShutdown = true;
            agent.MinimumBackoff = TimeSpan.FromMilliseconds(200);
            agent.MaximumBackoff = TimeSpan.FromSeconds(1);
            agent.Timeout = TimeSpan.FromSeconds(5);
        });
        return builder.Build();
    }

    private static async Task<string?> StatusAsync(HttpClient admin)
    {
        var response = await admin.GetAsync($"/workers/{WorkerId}");
        return response.IsSuccessStatusCode ? (await response.ReadJsonAsync()).GetProperty("status").GetString() : null;
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, string what, ServiceProcess service) =>
        ServiceProcess.WaitForAsync(async () =>
        {
            try
            {
                return await condition();
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, what, Within, service);

    private sealed record RotatedToken(string WorkerId, string Token);

    private sealed record EventPage(IReadOnlyList<Event> Items);

    private sealed record Event(string Type, string? To);
}
