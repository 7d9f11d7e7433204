using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using WorkerFleet.WebApi.Endpoints;
using WorkerFleet.WebApi.Security;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The Quartz HTTP API as this service configures it: a reader reads it, including the fetches Quartz serves
/// as POSTs; an admin may drive the lifecycle jobs, but may not add a job of any type outside the service's own.</summary>
public class SchedulerApiTests() : ApiTestBase(resetBetweenTests: false)
{
    private const string Jobs = "/quartz-api/schedulers/QuartzScheduler/jobs";
    private const string History = "/quartz-api/schedulers/QuartzScheduler/history";

    /// <summary>The fixture shares one service (and its job history) between tests: a job a test added is deleted after
    /// it, pass or fail, so no test sees another's.</summary>
    [TearDown]
    public async Task DeleteProbeJobs()
    {
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.DeleteJobs([.. await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals("probe"))]);
    }

    [TestCase("Quartz.Job.NativeJob, Quartz.Jobs")]
    [TestCase("System.Diagnostics.Process, System")]
    [TestCase("WorkerFleet.Infrastructure.SchedulingElsewhere.Job, WorkerFleet.Infrastructure")]
    [TestCase("WorkerFleet.Infrastructure.Scheduling.LifecycleTransitionJob`1[[Quartz.Job.NativeJob, Quartz.Jobs]], WorkerFleet.Infrastructure")]
    [TestCase("WorkerFleet.Infrastructure.Scheduling.LifecycleTransitionJob`1[[WorkerFleet.Application.Workers.Commands.RegisterWorker, WorkerFleet.Application]], WorkerFleet.Infrastructure")]
    [TestCase("WorkerFleet.Infrastructure.Scheduling.Evil, Quartz")]
    [TestCase("WorkerFleet.Infrastructure.Scheduling.JobTypes, WorkerFleet.Infrastructure")]
    [TestCase("WorkerFleet.WebApi.FunctionalTests.ForeignJob, WorkerFleet.WebApi.FunctionalTests")]
    public async Task An_admin_cannot_add_a_job_of_a_foreign_type(string jobType)
    {
        var response = await Client.PostAsJsonAsync(Jobs, NewJob("foreign", jobType));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ExistsAsync("foreign")).Should().BeFalse();
    }

    [Test]
    public async Task Each_job_and_its_trigger_say_what_the_job_does_as_the_dashboard_shows_it()
    {
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var descriptions = new Dictionary<JobKey, string>
        {
            [LifecycleJobs.Activation] = "Moves Pending workers with a recent heartbeat to Active.",
            [LifecycleJobs.StaleDetection] = "Moves Active workers without a heartbeat within the timeout to Offline.",
            [LifecycleJobs.Reactivation] = "Moves Offline workers with a recent heartbeat back to Active.",
            [JournalJobs.Retention] = "Deletes the journal's events older than WorkerFleet:Events:Retention.",
        };

        foreach (var (job, description) in descriptions)
        {
            (await scheduler.GetJobDetail(job))!.Description.Should().Be(description);
            (await scheduler.GetTrigger(new TriggerKey(job.Name, job.Group)))!.Description.Should().Be(description);
        }
    }

    [Test]
    public async Task Every_job_the_service_schedules_is_a_type_the_api_allows()
    {
        var scheduler = await Api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup());

        keys.Should().HaveCount(4);
        foreach (var key in keys)
        {
            var type = (await scheduler.GetJobDetail(key))!.JobType.Type;
            JobTypes.IsOwn(type.AssemblyQualifiedName!).Should().BeTrue($"{key} runs {type}");
        }
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
    public void Every_Quartz_route_a_reader_may_post_to_is_one_Quartz_itself_does_not_mark_as_a_change()
    {
        var posts = Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith(SchedulerEndpoints.QuartzApiPath, StringComparison.Ordinal)
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Any(m => !HttpMethods.IsGet(m)))
            .Select(e => (Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                Changes: e.Metadata.Any(m => m.GetType().Name == "QuartzMutationMetadata")))
            .ToList();

        // Quartz's marker is internal, so it is matched by name; it must still be there for this sweep to mean anything.
        posts.Should().Contain(p => p.Name == "PauseJob" && p.Changes);
        posts.Where(p => !p.Changes).Select(p => p.Name).Should().BeEquivalentTo(SecurityRegistration.QuartzReadsByPost);
    }

    [Test]
    public async Task The_scheduler_apis_audit_line_names_the_callers_key()
    {
        (await Client.PostAsync($"{Jobs}/lifecycle/activate-pending-workers/trigger", null)).EnsureSuccessStatusCode();

        Api.Logs.Lines.Should().Contain(line => line.Contains($"Api user {WorkerFleetApi.AdminName} performed", StringComparison.Ordinal))
            .And.NotContain(line => line.Contains("Api user (anonymous)", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_reader_may_fetch_triggers_by_key()
    {
        using var reader = Api.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WorkerFleetApi.ReaderKey);

        var response = await reader.PostAsJsonAsync("/quartz-api/schedulers/QuartzScheduler/triggers/fetch",
            new[] { new { name = LifecycleJobs.Activation.Name, group = LifecycleJobs.Group } });

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.ReadJsonAsync())[0].GetProperty("cronExpressionString").GetString().Should().Be(WorkerFleetApi.ParkedCron);
    }

    [Test]
    public async Task The_service_lists_exactly_its_three_lifecycle_jobs_and_the_journals_retention_job()
    {
        var jobs = await (await Client.GetAsync(Jobs)).ReadJsonAsync();

        jobs.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("name").GetString())
            .Should().BeEquivalentTo("activate-pending-workers", "mark-stale-workers-offline", "reactivate-offline-workers", "delete-expired-events");
    }

    [TestCase("GET", "/nope/nothing", null, 404, "scheduler-item-not-found")]
    [TestCase("POST", "/nope/nothing/trigger", null, 400, "scheduler-request-refused")]
    [TestCase("POST", "/fetch", """[{"x":1}]""", 400, "scheduler-request-refused")]
    [TestCase("POST", "/fetch", "{bad", 400, "scheduler-request-refused")]
    [TestCase("GET", "?take=abc", null, 400, "scheduler-request-refused")]
    public async Task A_request_the_scheduler_refuses_is_a_problem_of_the_services_own_type_naming_no_internals(
        string method, string path, string? body, int status, string type)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Jobs + path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await Client.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync((HttpStatusCode)status, type);
        problem.TryGetProperty("Quartz-ExceptionType", out _).Should().BeFalse();
        problem.GetRawText().Should().NotContainAny("Quartz.", "KeyDto", "Exception");
    }

    [Test]
    public async Task A_run_asked_for_over_http_is_in_each_jobs_history_as_a_manual_run()
    {
        (await Client.RegisterAsync("history-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await Client.HeartbeatAsync("history-1")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Client.PostAsync("/scheduler/run", content: null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var activation = await ManualRunsAsync(LifecycleJobs.Activation);
        var moved = activation.Where(run => run.GetProperty("summary").GetString() == "Moved 1 worker(s): history-1.").ToList();
        moved.Should().ContainSingle("the run that activated history-1 is recorded once");
        moved[0].GetProperty("result").GetString().Should().Be("Succeeded");
        moved[0].GetProperty("metrics").GetProperty("moved").GetInt32().Should().Be(1);
        moved[0].GetProperty("triggerName").GetString().Should().Be("POST /scheduler/run");
        var idle = (await ManualRunsAsync(LifecycleJobs.Reactivation)).First();
        idle.GetProperty("result").GetString().Should().Be("Skipped");
        idle.GetProperty("summary").GetString().Should().Be("Nothing to move.");
        (await ManualRunsAsync(LifecycleJobs.StaleDetection)).Should().NotBeEmpty();

        var status = await (await Client.GetAsync($"{History}/job-status/{LifecycleJobs.Group}/{LifecycleJobs.Activation.Name}")).ReadJsonAsync();
        status.GetProperty("lastSummary").GetString().Should().Be("Moved 1 worker(s): history-1.", "the job's last run is the one asked for");
    }

    /// <summary>The runs of <paramref name="job"/> the history holds that were asked for rather than scheduled, newest first.</summary>
    private async Task<List<JsonElement>> ManualRunsAsync(JobKey job)
    {
        var history = await (await Client.GetAsync($"{History}/executions?jobGroup={job.Group}&jobName={job.Name}&take=100")).ReadJsonAsync();
        return history.GetProperty("items").EnumerateArray().Where(run => run.GetProperty("manual").GetBoolean()).ToList();
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
