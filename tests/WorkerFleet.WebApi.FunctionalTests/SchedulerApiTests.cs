using System.Net;
using System.Net.Http.Json;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The Quartz HTTP API as this service configures it: an admin may drive the lifecycle jobs, but may not
/// add a job of any type outside the service's own.</summary>
public class SchedulerApiTests() : ApiTestBase(resetBetweenTests: false)
{
    private const string Jobs = "/quartz-api/schedulers/QuartzScheduler/jobs";

    [TestCase("Quartz.Job.NativeJob, Quartz.Jobs")]
    [TestCase("System.Diagnostics.Process, System")]
    [TestCase("WorkerFleet.Infrastructure.SchedulingElsewhere.Job, WorkerFleet.Infrastructure")]
    public async Task An_admin_cannot_add_a_job_of_a_foreign_type(string jobType)
    {
        var response = await Client.PostAsJsonAsync(Jobs, NewJob("foreign", jobType));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ExistsAsync("foreign")).Should().BeFalse();
    }

    [Test]
    public async Task An_admin_can_add_and_delete_a_job_of_the_services_own_type()
    {
        var response = await Client.PostAsJsonAsync(Jobs, NewJob("own", typeof(LifecycleJobs).Namespace
            + ".LifecycleTransitionJob`1[[WorkerFleet.Application.Workers.Commands.ActivatePendingWorkers, WorkerFleet.Application]], WorkerFleet.Infrastructure"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ExistsAsync("own")).Should().BeTrue();
        (await Client.DeleteAsync($"{Jobs}/probe/own")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ExistsAsync("own")).Should().BeFalse();
    }

    [Test]
    public async Task The_service_lists_exactly_its_three_lifecycle_jobs()
    {
        var jobs = await (await Client.GetAsync(Jobs)).ReadJsonAsync();

        jobs.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("name").GetString())
            .Should().BeEquivalentTo("activate-pending-workers", "mark-stale-workers-offline", "reactivate-offline-workers");
    }

    private async Task<bool> ExistsAsync(string name) =>
        (await (await Client.GetAsync($"{Jobs}/probe/{name}/exists")).ReadJsonAsync()).GetProperty("exists").GetBoolean();

    private static object NewJob(string name, string jobType) => new
    {
        job = new
        {
            name,
            group = "probe",
            jobType,
            description = (string?)null,
            durable = true,
            requestsRecovery = false,
            concurrentExecutionDisallowed = (bool?)null,
            persistJobDataAfterExecution = (bool?)null,
            jobDataMap = new Dictionary<string, string>(),
        },
        replace = false,
        storeNonDurableWhileAwaitingScheduling = (bool?)null,
    };
}
