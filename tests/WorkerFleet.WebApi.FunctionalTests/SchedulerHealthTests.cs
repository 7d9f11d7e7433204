using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The <c>scheduler</c> health check as the README states it: Healthy while Quartz runs, Degraded (still 200)
/// in standby, Unhealthy (503, and not ready) once it no longer runs.</summary>
public class SchedulerHealthTests
{
    [Test]
    public async Task The_scheduler_check_is_degraded_in_standby_and_unhealthy_once_shut_down()
    {
        using var api = new WorkerFleetApi();
        using var client = api.CreateClient();
        var scheduler = await api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        (await HealthAsync(client, "/health")).Should().Be((HttpStatusCode.OK, "Healthy", "Healthy"));

        await scheduler.Standby();
        (await HealthAsync(client, "/health")).Should().Be((HttpStatusCode.OK, "Degraded", "Degraded"));

        await scheduler.Shutdown();
        (await HealthAsync(client, "/health")).Should().Be((HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"));
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK, "the process still serves requests");
    }

    private static async Task<(HttpStatusCode Status, string Overall, string Scheduler)> HealthAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var health = await response.ReadJsonAsync();
        return (response.StatusCode, health.GetProperty("status").GetString()!, health.GetProperty("checks").GetProperty("scheduler").GetString()!);
    }
}
