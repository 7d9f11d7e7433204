using System.Net;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The real Quartz jobs on their cron schedules, driven by the fake clock the whole service runs on.
/// A big clock step makes Quartz fire missed triggers once as misfires, possibly a little later; runs of one job never
/// overlap, so once a run scheduled after the step has finished, every earlier run of that job has finished too.</summary>
public class ScheduledLifecycleTests
{
    [Test]
    public async Task The_scheduled_jobs_move_a_worker_pending_active_offline_active()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Lifecycle:ActivationCron"] = "0/10 * * * * ?",
            ["WorkerFleet:Lifecycle:StaleDetectionCron"] = "0/30 * * * * ?",
            ["WorkerFleet:Lifecycle:ReactivationCron"] = "0/30 * * * * ?",
        });
        using var client = api.CreateOperatorClient();
        var runs = await JobExecutions.ListenAsync(api.Services);
        await client.RegisterAsync("worker-1");
        await client.HeartbeatAsync("worker-1");

        var before = api.Clock.GetUtcNow();
        api.Clock.Advance(TimeSpan.FromSeconds(5));
        await runs.NextRunOfAsync(LifecycleJobs.Activation, before);
        (await StatusAsync(client)).Should().Be("Active");

        before = api.Clock.GetUtcNow();
        api.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(25));
        await runs.NextRunOfAsync(LifecycleJobs.StaleDetection, before);
        (await StatusAsync(client)).Should().Be("Offline");

        await client.HeartbeatAsync("worker-1");
        before = api.Clock.GetUtcNow();
        api.Clock.Advance(TimeSpan.FromSeconds(30));
        await runs.NextRunOfAsync(LifecycleJobs.Reactivation, before);
        (await StatusAsync(client)).Should().Be("Active");
    }

    private static async Task<string?> StatusAsync(HttpClient client)
    {
        var response = await client.GetAsync("/workers/worker-1");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.ReadJsonAsync()).GetProperty("status").GetString();
    }
}
