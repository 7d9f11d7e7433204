using System.Globalization;
using System.Net.Http.Json;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using Quartz;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Control;
using WorkerFleet.Infrastructure.Scheduling;
using WorkerFleet.Infrastructure.Telemetry;
using static Microsoft.Playwright.Assertions;

namespace WorkerFleet.WebApi.FunctionalTests.Dashboard;

/// <summary>The dashboard in a real browser against the real service on a real socket, on a PostgreSQL of the
/// fixture's own that a test stops. The clock is fake and frozen at the wall-clock time the fixture starts, so
/// no job fires unless a test triggers it, yet every time the page shows reads as it would in production.</summary>
[NonParallelizable]
public class DashboardTests
{
    private const string ActivationCron = "0 0/15 * * * ?";
    private const string StaleDetectionCron = "0 0/5 * * * ?";
    private const string ReactivationCron = "30 0/5 * * * ?";

    private ThrowawayPostgres _postgres = null!;
    private WorkerFleetApi _api = null!;
    private HttpClient _client = null!;
    private DashboardBrowser _browser = null!;
    private string _url = null!;

    [OneTimeSetUp]
    public async Task StartServiceAndBrowser()
    {
        _postgres = await ThrowawayPostgres.StartAsync();
        _api = new WorkerFleetApi(new Dictionary<string, string?>
        {
            ["WorkerFleet:Storage:Provider"] = "Postgres",
            ["ConnectionStrings:WorkerFleet"] = _postgres.ConnectionString,
            ["WorkerFleet:Storage:CommandTimeout"] = "00:00:05",
            ["WorkerFleet:Lifecycle:ActivationCron"] = ActivationCron,
            ["WorkerFleet:Lifecycle:StaleDetectionCron"] = StaleDetectionCron,
            ["WorkerFleet:Lifecycle:ReactivationCron"] = ReactivationCron,
            // Everything is logged, so the test that signs in can check that no key ever reaches a log.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        });
        _api.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        _api.UseKestrel(0);
        _api.StartServer();
        _url = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = _api.CreateOperatorClient();
        _client.BaseAddress = new Uri(_url);
        _browser = await DashboardBrowser.LaunchAsync();
        SetDefaultExpectTimeout(20_000);
    }

    [OneTimeTearDown]
    public async Task StopServiceAndBrowser()
    {
        await _browser.DisposeAsync();
        _client.Dispose();
        await _api.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [SetUp]
    public Task EmptyTheFleet() => _api.ResetAsync();

    [TearDown]
    public Task ClosePages() => _browser.CloseAllAsync();

    [Test]
    public async Task The_scheduler_lists_the_lifecycle_jobs_and_the_retention_job_with_their_schedules_and_next_fire_times()
    {
        var page = await SignInAsync(WorkerFleetApi.AdminKey);

        await Expect(page.Locator("#jobs tbody tr[data-job]")).ToHaveCountAsync(4);
        var scheduler = await _api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        foreach (var (job, cron, words) in new[]
        {
            (LifecycleJobs.Activation, ActivationCron, "Every 15 minutes"),
            (LifecycleJobs.StaleDetection, StaleDetectionCron, "Every 5 minutes"),
            (LifecycleJobs.Reactivation, ReactivationCron, "At 30 seconds past the minute, every 5 minutes"),
        })
        {
            var row = JobRow(page, job);
            var trigger = await scheduler.GetTrigger(new TriggerKey(job.Name, job.Group));
            await Expect(row.Locator(".schedule code")).ToHaveTextAsync(cron);
            await Expect(row.Locator(".schedule .words")).ToHaveTextAsync(words);
            await Expect(row.Locator(".state")).ToHaveTextAsync("Normal");
            await Expect(row.Locator(".next-fire time")).ToHaveAttributeAsync("datetime", Iso(trigger!.NextFireTimeUtc!.Value));
            await Expect(row.Locator(".next-fire time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^in \\d+ (s|min)$"));
            await Expect(row.Locator(".job .description")).Not.ToBeEmptyAsync();
        }

        await Expect(JobRow(page, JournalJobs.Retention).Locator(".schedule code")).ToHaveTextAsync(WorkerFleetApi.ParkedCron);
        await DashboardBrowser.ScreenshotAsync(page, "scheduler-admin");
    }

    [Test]
    public async Task Trigger_now_on_activation_shows_the_worker_active_without_a_reload()
    {
        (await _client.RegisterAsync("dash-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _client.HeartbeatAsync("dash-1")).StatusCode.Should().Be(HttpStatusCode.OK);
        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        var status = page.Locator("tr[data-worker='dash-1'] td.status");
        await Expect(status).ToHaveTextAsync("Pending");

        await page.GetByRole(AriaRole.Button, new() { Name = "Trigger activate-pending-workers now" }).ClickAsync();
        await Expect(page.Locator("#confirm")).ToBeVisibleAsync();
        await Expect(page.Locator("#confirm-message")).ToContainTextAsync("Run activate-pending-workers now");
        await DashboardBrowser.ScreenshotAsync(page, "confirm-trigger");
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(status).ToHaveTextAsync("Active");
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the page must not reload");
        await Expect(page.Locator("#toast")).ToContainTextAsync("activate-pending-workers was triggered");
        var row = JobRow(page, LifecycleJobs.Activation);
        await Expect(row.Locator(".last-run")).ToContainTextAsync("Moved 1 worker(s): dash-1.");
        await Expect(page.Locator(".card-active .count")).ToHaveTextAsync("1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show run history of activate-pending-workers" }).ClickAsync();
        // The run that moved dash-1 is this one. The fixture's other tests may have left runs of the job, and a
        // scheduled fire due on the fixture's clock may carry the same time as this run, so its place is not asserted.
        var runs = page.Locator("tr[data-history-of='lifecycle.activate-pending-workers'] table.runs tbody tr");
        var thisRun = runs.Filter(new() { HasText = "Moved 1 worker(s): dash-1." });
        await Expect(thisRun).ToHaveCountAsync(1);
        await Expect(thisRun.Locator("td").Nth(1)).ToHaveTextAsync("Manual");
        await Expect(thisRun.Locator("td").Nth(4)).ToHaveTextAsync("1");
        await Expect(page.Locator("#toast")).ToBeHiddenAsync();
        await DashboardBrowser.ScreenshotAsync(page, "fleet-after-trigger");
    }

    [Test]
    public async Task A_run_that_moves_nothing_keeps_the_last_run_that_moved_workers_in_view()
    {
        (await _client.RegisterAsync("change-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _client.HeartbeatAsync("change-1")).StatusCode.Should().Be(HttpStatusCode.OK);
        // A second apart, so these two runs are the job's newest whatever runs the fixture's other tests left.
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await _client.PostAsync("/scheduler/run", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        _api.Clock.Advance(TimeSpan.FromSeconds(1));
        (await _client.PostAsync("/scheduler/run", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        var page = await SignInAsync(WorkerFleetApi.ReaderKey);
        var lastRun = JobRow(page, LifecycleJobs.Activation).Locator(".last-run");
        await Expect(lastRun.Locator(".badge")).ToHaveTextAsync("Skipped");
        await Expect(lastRun.Locator(".summary")).ToHaveTextAsync("Nothing to move.");
        await Expect(lastRun.Locator(".last-change")).ToContainTextAsync("Last change");
        await Expect(lastRun.Locator(".last-change")).ToContainTextAsync("Moved 1 worker(s): change-1.");
        await DashboardBrowser.ScreenshotAsync(page, "last-change");

        await page.GetByRole(AriaRole.Button, new() { Name = "Show run history of activate-pending-workers" }).ClickAsync();
        var runs = page.Locator("tr[data-history-of='lifecycle.activate-pending-workers'] table.runs tbody tr");
        var moved = runs.Filter(new() { HasText = "Moved 1 worker(s): change-1." });
        await Expect(moved).ToHaveCountAsync(1);
        await Expect(moved.Locator("td").Nth(1)).ToHaveTextAsync("Manual");
    }

    [Test]
    public async Task An_admin_pauses_and_resumes_a_job_after_confirming_and_a_cancelled_confirmation_changes_nothing()
    {
        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        var row = JobRow(page, LifecycleJobs.StaleDetection);
        var scheduler = await _api.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = new TriggerKey(LifecycleJobs.StaleDetection.Name, LifecycleJobs.Group);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause mark-stale-workers-offline" }).ClickAsync();
        await page.Locator("#confirm-cancel").ClickAsync();
        await Expect(page.Locator("#confirm")).ToBeHiddenAsync();
        (await scheduler.GetTriggerState(trigger)).Should().Be(TriggerState.Normal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Pause mark-stale-workers-offline" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("Paused");
        await Expect(row.Locator(".next-fire")).ToHaveTextAsync("paused");
        await Expect(page.Locator("#toast")).ToContainTextAsync("mark-stale-workers-offline was paused");
        (await scheduler.GetTriggerState(trigger)).Should().Be(TriggerState.Paused);
        await DashboardBrowser.ScreenshotAsync(page, "job-paused");

        await page.GetByRole(AriaRole.Button, new() { Name = "Resume mark-stale-workers-offline" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(row.Locator(".state")).ToHaveTextAsync("Normal");
        (await scheduler.GetTriggerState(trigger)).Should().Be(TriggerState.Normal);
    }

    [Test]
    public async Task Fires_the_scheduler_missed_show_as_misfires_in_the_run_history()
    {
        // The service's clock jumps 11 minutes, as after a pause of the process: the 5-minute jobs miss their fires.
        _api.Clock.Advance(TimeSpan.FromMinutes(11));
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);

        await page.GetByRole(AriaRole.Button, new() { Name = "Show run history of mark-stale-workers-offline" }).ClickAsync();
        var runs = page.Locator("tr[data-history-of='lifecycle.mark-stale-workers-offline'] table.runs tbody tr");
        await Expect(runs.Filter(new() { HasTextString = "Misfire" }).First).ToBeVisibleAsync();
        await Expect(runs.Filter(new() { HasTextString = "Scheduled" }).First).ToBeVisibleAsync();
        await DashboardBrowser.ScreenshotAsync(page, "run-history-with-misfires");
    }

    [Test]
    public async Task A_reader_sees_the_jobs_but_no_actions()
    {
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);

        await Expect(page.Locator("#jobs tbody tr[data-job]")).ToHaveCountAsync(4);
        await Expect(page.Locator("#role")).ToHaveTextAsync($"Signed in as {WorkerFleetApi.ReaderName} (read only)");
        foreach (var action in new[] { "Trigger now", "Pause", "Resume" })
        {
            await Expect(page.Locator("#jobs button", new() { HasTextString = action })).ToHaveCountAsync(0);
        }

        await Expect(page.Locator("#jobs button", new() { HasTextString = "History" })).ToHaveCountAsync(4);
        await DashboardBrowser.ScreenshotAsync(page, "scheduler-reader");
    }

    [Test]
    public async Task The_fleet_table_filters_searches_and_pages_and_keeps_its_filters_across_refreshes()
    {
        foreach (var id in Enumerable.Range(0, 60).Select(i => $"fleet-{i:D3}").Concat(Enumerable.Range(0, 5).Select(i => $"other-{i}")))
        {
            (await _client.RegisterAsync(id, region: id.StartsWith("other", StringComparison.Ordinal) ? "eu-west-1" : "us-east-1"))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await _client.HeartbeatAsync("other-1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _client.PostAsync("/scheduler/run", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        var rows = page.Locator("#workers tbody tr[data-worker]");

        await page.Locator("#page-size").SelectOptionAsync("25");
        await page.Locator("#status-filter").SelectOptionAsync("Pending");
        await Expect(page.Locator("#page-label")).ToHaveTextAsync("Page 1 · 1–25 of 64");
        await Expect(rows).ToHaveCountAsync(25);
        await Expect(rows.First).ToHaveAttributeAsync("data-worker", "fleet-000");
        await page.Locator("#next-page").ClickAsync();
        await Expect(page.Locator("#page-label")).ToHaveTextAsync("Page 2 · 26–50 of 64");
        await Expect(rows.First).ToHaveAttributeAsync("data-worker", "fleet-025");
        await page.Locator("#next-page").ClickAsync();
        await Expect(page.Locator("#page-label")).ToHaveTextAsync("Page 3 · 51–64 of 64");
        await Expect(rows).ToHaveCountAsync(14);
        await Expect(page.Locator("#next-page")).ToBeDisabledAsync();
        await page.Locator("#previous-page").ClickAsync();
        await Expect(page.Locator("#page-label")).ToHaveTextAsync("Page 2 · 26–50 of 64");

        await page.Locator("#id-filter").FillAsync("other");
        await Expect(page.Locator("#page-label")).ToHaveTextAsync("Page 1 · 1–4");
        await Expect(rows).ToHaveCountAsync(4);
        await page.Locator(".card-active").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-worker='other-1'] td.status")).ToHaveTextAsync("Active");
        await Expect(page.Locator("tr[data-worker='other-1'] td.last-heartbeat time")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex("^(now|\\d+ s ago)$"));

        // Two automatic refreshes later the operator's filters and the rows they select are unchanged.
        for (var refresh = 0; refresh < 2; refresh++)
        {
            var updated = await page.Locator("#connection").TextContentAsync();
            await Expect(page.Locator("#connection")).Not.ToHaveTextAsync(updated!);
        }

        await Expect(page.Locator("#id-filter")).ToHaveValueAsync("other");
        await Expect(page.Locator("#status-filter")).ToHaveValueAsync("Active");
        await Expect(rows).ToHaveCountAsync(1);
        page.Url.Should().Contain("status=Active").And.Contain("id=other").And.NotContain(WorkerFleetApi.AdminKey);

        await page.Locator("#id-filter").FillAsync("no spaces");
        await Expect(page.Locator(".banner-error")).ToContainTextAsync("idPrefix must be 1–128 characters of A–Z a–z 0–9 . _ -.");
        await page.Locator("#id-filter").FillAsync(string.Empty);
        await Expect(page.Locator(".banner-error")).ToHaveCountAsync(0);
        await Expect(rows).ToHaveCountAsync(1);
        await DashboardBrowser.ScreenshotAsync(page, "fleet-filtered");
    }

    [Test]
    public async Task The_worker_detail_shows_its_heartbeat_history_and_is_operable_by_keyboard()
    {
        (await _client.RegisterAsync("detail-1", region: "ap-south-1", capacity: 32)).StatusCode.Should().Be(HttpStatusCode.Created);
        for (var beat = 0; beat < 3; beat++)
        {
            (await _client.HeartbeatAsync("detail-1")).StatusCode.Should().Be(HttpStatusCode.OK);
            _api.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        var open = page.GetByRole(AriaRole.Button, new() { Name = "Details of worker detail-1" });
        await open.FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        var dialog = page.Locator("#worker-detail");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("#detail-title")).ToHaveTextAsync("Worker detail-1");
        await Expect(dialog.Locator("#detail-facts")).ToContainTextAsync("ap-south-1");
        await Expect(dialog.Locator("#detail-facts")).ToContainTextAsync("Metadata: datacenter");
        await Expect(dialog.Locator("#detail-history li")).ToHaveCountAsync(3);
        await Expect(dialog.Locator("#detail-history li .gap").First).ToHaveTextAsync("+10.0 s");
        // Counted on the service's clock, which the test moved on 10 s after the last heartbeat.
        await Expect(dialog.Locator("#detail-history li time").First).ToHaveTextAsync("10 s ago");
        await DashboardBrowser.ScreenshotAsync(page, "worker-detail");

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(open).ToBeFocusedAsync();

        // The automatic refresh rebuilds the table; the keyboard user stays where they were.
        var updated = await page.Locator("#connection").TextContentAsync();
        await Expect(page.Locator("#connection")).Not.ToHaveTextAsync(updated!);
        await Expect(open).ToBeFocusedAsync();
    }

    [Test]
    public async Task On_a_phone_width_nothing_scrolls_sideways()
    {
        (await _client.RegisterAsync("phone-worker-with-a-long-identifier-0001")).StatusCode.Should().Be(HttpStatusCode.Created);
        var page = await SignInAsync(WorkerFleetApi.AdminKey, width: 390, height: 844);

        await Expect(page.Locator("tr[data-worker='phone-worker-with-a-long-identifier-0001']")).ToBeVisibleAsync();
        (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"))
            .Should().BeTrue("the page must fit a 390-pixel-wide screen");
        await DashboardBrowser.ScreenshotAsync(page, "phone");
    }

    [Test]
    public async Task An_unreachable_api_shows_a_clear_message_and_the_page_recovers_by_itself()
    {
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);
        await Expect(page.Locator("#jobs tbody tr[data-job]")).ToHaveCountAsync(4);

        await page.RouteAsync(url => !url.Contains("/dashboard/", StringComparison.Ordinal), route => route.AbortAsync("connectionrefused"));
        var banner = page.Locator(".banner-error");
        await Expect(banner).ToContainTextAsync("The WorkerFleet API cannot be reached");
        await Expect(page.Locator("#connection")).ToContainTextAsync("Offline: showing data from");
        await Expect(page.Locator("#jobs tbody tr[data-job]")).ToHaveCountAsync(4);
        await DashboardBrowser.ScreenshotAsync(page, "api-unreachable");

        await page.UnrouteAllAsync();
        await Expect(banner).ToHaveCountAsync(0);
        await Expect(page.Locator("#connection")).ToContainTextAsync("Updated");
    }

    [Test]
    public async Task A_held_region_shows_its_alarm_and_an_admin_overrides_that_region_from_the_banner()
    {
        // The hold as stale detection records it (its rules are tested elsewhere): the shared clock stays where it is,
        // so the scheduled jobs the other tests watch do not fire.
        await using (var scope = _api.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
            db.MassFailureHolds.Add(new MassFailureHoldEntity { Region = "eu-west-1", Since = _api.Clock.GetUtcNow().UtcDateTime, Stale = 10, Active = 10 });
            await db.SaveChangesAsync();
        }

        var page = await SignInAsync(WorkerFleetApi.AdminKey);

        var banner = page.Locator(".banner-alarm[data-alarm='mass-failure'][data-region='eu-west-1']");
        await Expect(banner).ToContainTextAsync("Mass-failure protection in eu-west-1");
        await Expect(banner).ToContainTextAsync("10 of 10 Active workers in eu-west-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Override mass-failure protection in eu-west-1" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(banner.Locator(".override-armed")).ToContainTextAsync($"Override armed by {WorkerFleetApi.AdminName}");
        await Expect(banner.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await DashboardBrowser.ScreenshotAsync(page, "mass-failure-override");
    }

    [Test]
    public async Task A_stopped_database_shows_the_storage_banner_until_it_is_back()
    {
        (await _client.RegisterAsync("db-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        await Expect(page.Locator("tr[data-worker='db-1']")).ToBeVisibleAsync();

        await _postgres.StopAsync();
        try
        {
            var alarm = page.Locator(".banner-alarm[data-alarm='storage-unavailable']");
            await Expect(alarm).ToContainTextAsync("Storage unavailable");
            await Expect(page.Locator(".banner-error")).ToContainTextAsync("storage");
            await Expect(page.Locator("#jobs tbody tr[data-job]")).ToHaveCountAsync(4);

            // A run during the outage shows as failed, with the reason, in the job's last run.
            await page.GetByRole(AriaRole.Button, new() { Name = "Trigger activate-pending-workers now" }).ClickAsync();
            await page.Locator("#confirm-ok").ClickAsync();
            var lastRun = JobRow(page, LifecycleJobs.Activation).Locator(".last-run");
            await Expect(lastRun.Locator(".badge")).ToHaveTextAsync("Failed");
            await Expect(lastRun).ToContainTextAsync("unavailable");
            await Expect(lastRun.Locator(".failing")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^\\d+ failed in a row$"));
            await DashboardBrowser.ScreenshotAsync(page, "database-down");
        }
        finally
        {
            await _postgres.StartAgainAsync();
        }

        await Expect(page.Locator(".banner")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr[data-worker='db-1']")).ToBeVisibleAsync();
    }

    [Test]
    public async Task A_key_that_cannot_read_is_refused_and_no_key_ever_reaches_an_address_or_a_log()
    {
        var page = await _browser.OpenAsync(_url);
        var addresses = new List<string>();
        page.Request += (_, request) => addresses.Add(request.Url);
        await page.GotoAsync("/dashboard");

        await page.Locator("#key").FillAsync(WorkerFleetApi.RegistrationKey);
        await page.Locator("#key").PressAsync("Enter");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("That key cannot read the fleet: use an admin or reader key.");
        await Expect(page.Locator("#content")).ToBeHiddenAsync();

        await page.Locator("#key").FillAsync("not-a-key-at-all-0123456789abcdef0123456789");
        await page.Locator("#key").PressAsync("Enter");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("The key was not accepted. Sign in again.");

        await page.Locator("#key").FillAsync(WorkerFleetApi.AdminKey);
        await page.Locator("#key").PressAsync("Enter");
        await Expect(page.Locator("#role")).ToHaveTextAsync($"Signed in as {WorkerFleetApi.AdminName}");
        await Expect(page.Locator("#key")).ToHaveValueAsync(string.Empty);
        await page.ReloadAsync();
        await Expect(page.Locator("#role")).ToHaveTextAsync($"Signed in as {WorkerFleetApi.AdminName}");
        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();

        addresses.Should().NotBeEmpty().And.OnlyContain(url =>
            !url.Contains(WorkerFleetApi.AdminKey, StringComparison.Ordinal) && !url.Contains(WorkerFleetApi.RegistrationKey, StringComparison.Ordinal));
        _api.Logs.Lines.Should().Contain(line => line.Contains("/quartz-api/", StringComparison.Ordinal), "requests are logged at this level")
            .And.NotContain(line => line.Contains(WorkerFleetApi.AdminKey, StringComparison.Ordinal) || line.Contains(WorkerFleetApi.RegistrationKey, StringComparison.Ordinal));
        (await page.EvaluateAsync<int>("() => sessionStorage.length")).Should().Be(0, "signing out forgets the key");
    }

    [Test]
    public async Task The_activity_panel_shows_events_made_after_the_page_loaded_and_its_filters_hide_the_others()
    {
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);
        await page.EvaluateAsync("() => { window.sameDocument = true; }");
        await Expect(page.Locator("#activity-status")).ToHaveTextAsync("Live");
        var events = page.Locator("#events tbody tr[data-sequence]");
        await Expect(events).ToHaveCountAsync(0);

        (await _client.RegisterAsync("live-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _client.RegisterAsync("live-2")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _client.PutAsJsonAsync("/workers/live-1/status", new { status = "Failed" })).StatusCode.Should().Be(HttpStatusCode.OK);

        await Expect(events).ToHaveCountAsync(3);
        var failed = events.First;
        await Expect(failed).ToHaveAttributeAsync("data-worker-id", "live-1");
        await Expect(failed.Locator(".type")).ToHaveTextAsync("status changed");
        await Expect(failed.Locator(".change")).ToHaveTextAsync("Pending → Failed");
        await Expect(failed.Locator(".trigger")).ToHaveTextAsync("operator");
        await Expect(failed.Locator(".actor")).ToHaveTextAsync(WorkerFleetApi.AdminName);
        await Expect(failed.Locator(".reason")).ToHaveTextAsync($"Set to Failed by {WorkerFleetApi.AdminName}.");
        await Expect(events.Nth(1)).ToHaveAttributeAsync("data-worker-id", "live-2");
        await Expect(events.Nth(2)).ToHaveAttributeAsync("data-worker-id", "live-1");
        await Expect(events.Nth(2).Locator(".type")).ToHaveTextAsync("registered");
        await Expect(events.Nth(2).Locator(".change")).ToHaveTextAsync("→ Pending");
        (await page.EvaluateAsync<bool>("() => window.sameDocument === true")).Should().BeTrue("the page must not reload");

        await page.Locator("#activity-type").SelectOptionAsync("registered");
        await Expect(events).ToHaveCountAsync(2);
        await page.Locator("#activity-worker").FillAsync("live-2");
        await Expect(events).ToHaveCountAsync(1);
        await Expect(events.First).ToHaveAttributeAsync("data-worker-id", "live-2");
        await Expect(page.Locator("#activity-summary")).ToHaveTextAsync("The latest 3 event(s), newest first; 1 match the filters.");
        page.Url.Should().Contain("activity-type=registered").And.Contain("activity-worker=live-2");
        await page.Locator("#activity-type").SelectOptionAsync(string.Empty);
        await page.Locator("#activity-worker").FillAsync("live-1");
        await Expect(events).ToHaveCountAsync(2);
        await Expect(events.Filter(new() { HasNotText = "live-1" })).ToHaveCountAsync(0);
        await DashboardBrowser.ScreenshotAsync(page, "activity");

        var streamEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.RequestFailed += (_, request) =>
        {
            if (request.Url.Contains("/events/stream", StringComparison.Ordinal))
            {
                streamEnded.TrySetResult();
            }
        };
        await page.Locator("#sign-out").ClickAsync();
        await streamEnded.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task The_activity_panel_reconnects_after_the_stream_drops_and_resumes_after_the_last_event_it_received()
    {
        (await _client.RegisterAsync("resume-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        var first = (await (await _client.GetAsync("/events?after=0")).ReadJsonAsync()).GetProperty("items")[0];
        var sequence = first.GetProperty("sequence").GetInt64().ToString(CultureInfo.InvariantCulture);
        var resumedAfter = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var connections = 0;

        var page = await SignInAsync(WorkerFleetApi.AdminKey, beforeSignIn: opened => opened.RouteAsync(
            url => url.Contains("/events/stream", StringComparison.Ordinal),
            async route =>
            {
                if (Interlocked.Increment(ref connections) == 1)
                {
                    // The first connection delivers one event and drops, as a restarting instance or a proxy would.
                    await route.FulfillAsync(new()
                    {
                        Status = 200,
                        ContentType = "text/event-stream",
                        Body = $"retry: 200\n\nid: {sequence}\nevent: registered\ndata: {first.GetRawText()}\n\n",
                    });
                    return;
                }

                resumedAfter.TrySetResult(route.Request.Headers.GetValueOrDefault("last-event-id"));
                await route.ContinueAsync();
            }));

        var events = page.Locator("#events tbody tr[data-sequence]");
        await Expect(events).ToHaveCountAsync(1);
        await Expect(events.First).ToHaveAttributeAsync("data-worker-id", "resume-1");
        (await resumedAfter.Task.WaitAsync(TimeSpan.FromSeconds(20))).Should().Be(sequence);
        await Expect(page.Locator("#activity-status")).ToHaveTextAsync("Live");

        (await _client.RegisterAsync("resume-2")).StatusCode.Should().Be(HttpStatusCode.Created);
        await Expect(events).ToHaveCountAsync(2);
        await Expect(events.First).ToHaveAttributeAsync("data-worker-id", "resume-2");
        await Expect(events.Last).ToHaveAttributeAsync("data-worker-id", "resume-1");
    }

    [Test]
    public async Task An_unregistered_worker_opens_from_the_activity_panel_with_its_timeline()
    {
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);
        await Expect(page.Locator("#activity-status")).ToHaveTextAsync("Live");
        (await _client.RegisterAsync("gone-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _client.DeleteAsync("/workers/gone-1")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await Expect(page.Locator("#events tbody tr[data-sequence][data-type='unregistered']")).ToHaveCountAsync(1);

        await page.GetByRole(AriaRole.Button, new() { Name = "Timeline of worker gone-1" }).First.ClickAsync();

        var dialog = page.Locator("#worker-detail");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("#detail-facts")).ToContainTextAsync("Unregistered");
        await Expect(dialog.Locator("#detail-history-summary")).ToHaveTextAsync("Unregistered: its heartbeat history went with it.");
        var timeline = dialog.Locator("#detail-timeline li");
        await Expect(timeline).ToHaveCountAsync(2);
        await Expect(timeline.First).ToHaveAttributeAsync("data-type", "unregistered");
        await Expect(timeline.Last).ToHaveAttributeAsync("data-type", "registered");
    }

    [Test]
    public async Task An_admin_cordons_a_worker_from_its_detail_after_confirming_and_a_reader_only_sees_that_it_is_cordoned()
    {
        (await _client.RegisterAsync("cordon-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Details of worker cordon-1" }).ClickAsync();
        var facts = page.Locator("#detail-facts");
        await Expect(facts).ToContainTextAsync("Schedulable");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cordon cordon-1" }).ClickAsync();
        await Expect(page.Locator("#confirm-message")).ToContainTextAsync("Take cordon-1 out of scheduling?");
        await page.Locator("#confirm-ok").ClickAsync();

        await Expect(facts.Locator(".badge-cordoned")).ToHaveTextAsync("Cordoned");
        await Expect(page.Locator("#detail-timeline li").First).ToHaveAttributeAsync("data-type", "cordoned");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Uncordon cordon-1" })).ToBeVisibleAsync();
        var worker = await (await _client.GetAsync("/workers/cordon-1")).ReadJsonAsync();
        worker.GetProperty("schedulable").GetBoolean().Should().BeFalse();
        await DashboardBrowser.ScreenshotAsync(page, "worker-cordoned");

        var reader = await SignInAsync(WorkerFleetApi.ReaderKey);
        await Expect(reader.Locator("tr[data-worker='cordon-1'] td.status")).ToHaveTextAsync("Pending Cordoned");
        await reader.GetByRole(AriaRole.Button, new() { Name = "Details of worker cordon-1" }).ClickAsync();
        await Expect(reader.Locator("#detail-facts .badge-cordoned")).ToBeVisibleAsync();
        await Expect(reader.GetByRole(AriaRole.Button, new() { Name = "Uncordon cordon-1" })).ToHaveCountAsync(0);
    }

    [Test]
    public async Task An_admin_rotates_the_token_of_fails_and_unregisters_a_worker_from_its_detail_each_after_confirming()
    {
        var registered = await (await _client.RegisterAsync("acted-1")).ReadJsonAsync();
        var oldToken = registered.GetProperty("token").GetString()!;
        var page = await SignInAsync(WorkerFleetApi.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Details of worker acted-1" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate the token of acted-1" }).ClickAsync();
        await Expect(page.Locator("#confirm-message")).ToContainTextAsync("Its current token stops working at once");
        await page.Locator("#confirm-ok").ClickAsync();
        var shown = page.Locator("#detail-token code");
        await Expect(shown).ToHaveTextAsync(new Regex("^wft_"));
        var newToken = await shown.InnerTextAsync();
        (await HeartbeatWithAsync("acted-1", oldToken)).Should().Be(HttpStatusCode.Unauthorized);
        (await HeartbeatWithAsync("acted-1", newToken)).Should().Be(HttpStatusCode.OK);

        await page.GetByRole(AriaRole.Button, new() { Name = "Fail acted-1" }).ClickAsync();
        await page.Locator("#confirm-cancel").ClickAsync();
        (await (await _client.GetAsync("/workers/acted-1")).ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Pending");
        await page.GetByRole(AriaRole.Button, new() { Name = "Fail acted-1" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#detail-facts .badge-failed")).ToHaveTextAsync("Failed");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Fail acted-1" })).ToHaveCountAsync(0);
        await DashboardBrowser.ScreenshotAsync(page, "worker-actions");

        await page.GetByRole(AriaRole.Button, new() { Name = "Unregister acted-1" }).ClickAsync();
        await page.Locator("#confirm-ok").ClickAsync();
        await Expect(page.Locator("#detail-facts")).ToContainTextAsync("Unregistered");
        await Expect(page.Locator("#detail-actions")).ToBeHiddenAsync();
        (await _client.GetAsync("/workers/acted-1")).StatusCode.Should().Be(HttpStatusCode.NotFound);

        (await _client.RegisterAsync("read-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        var reader = await SignInAsync(WorkerFleetApi.ReaderKey);
        await reader.GetByRole(AriaRole.Button, new() { Name = "Details of worker read-1" }).ClickAsync();
        await Expect(reader.Locator("#detail-facts")).ToContainTextAsync("Pending");
        await Expect(reader.Locator("#detail-actions")).ToBeHiddenAsync();
    }

    [Test]
    public async Task Times_read_in_utc_on_a_24_hour_clock()
    {
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);

        await Expect(page.Locator("#connection")).ToHaveTextAsync(new Regex(@"^Updated \d{2}:\d{2}:\d{2} UTC"));
    }

    [Test]
    public async Task The_worker_detail_lists_its_timeline_newest_first_and_pages_to_older_events()
    {
        (await _client.RegisterAsync("timeline-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        for (var rotation = 0; rotation < 20; rotation++)
        {
            (await _client.PostAsync("/workers/timeline-1/token", content: null)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        (await _client.PutAsJsonAsync("/workers/timeline-1/status", new { status = "Failed" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var page = await SignInAsync(WorkerFleetApi.ReaderKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Details of worker timeline-1" }).ClickAsync();

        var timeline = page.Locator("#detail-timeline li");
        await Expect(timeline).ToHaveCountAsync(20);
        await Expect(page.Locator("#detail-timeline-summary")).ToHaveTextAsync("20 event(s), newest first; older ones follow.");
        var newest = timeline.First;
        await Expect(newest).ToHaveAttributeAsync("data-type", "status-changed");
        await Expect(newest.Locator(".badge")).ToHaveTextAsync("status changed");
        await Expect(newest.Locator(".change")).ToHaveTextAsync("Pending → Failed");
        await Expect(newest.Locator(".trigger")).ToHaveTextAsync("operator");
        await Expect(newest.Locator(".actor")).ToHaveTextAsync(WorkerFleetApi.AdminName);
        await Expect(newest.Locator(".reason")).ToHaveTextAsync($"Set to Failed by {WorkerFleetApi.AdminName}.");
        await Expect(newest.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(now|\\d+ s ago)$"));
        await Expect(timeline.Nth(1)).ToHaveAttributeAsync("data-type", "token-rotated");

        var older = page.Locator("#detail-timeline-older");
        await older.ClickAsync();
        await Expect(timeline).ToHaveCountAsync(22);
        var registered = timeline.Last;
        await Expect(registered).ToHaveAttributeAsync("data-type", "registered");
        await Expect(registered.Locator(".change")).ToHaveTextAsync("→ Pending");
        await Expect(registered.Locator(".actor")).ToHaveTextAsync(WorkerFleetApi.RegistrationName);
        await Expect(older).ToBeHiddenAsync();
        await Expect(page.Locator("#detail-timeline")).ToBeFocusedAsync();
        await DashboardBrowser.ScreenshotAsync(page, "worker-timeline");

        // The refresh adds what happened since on top, and keeps the older events already shown.
        (await _client.PostAsync("/workers/timeline-1/token", content: null)).StatusCode.Should().Be(HttpStatusCode.OK);
        await Expect(timeline).ToHaveCountAsync(23);
        await Expect(timeline.First).ToHaveAttributeAsync("data-type", "token-rotated");
        await Expect(page.Locator("#detail-timeline-summary")).ToHaveTextAsync("23 event(s), newest first.");
    }

    [Test]
    public async Task The_last_hour_charts_draw_heartbeats_per_second_and_workers_by_status()
    {
        (await _client.RegisterAsync("trend-1", region: "eu-north-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _client.RegisterAsync("trend-2", region: "eu-north-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        var reader = _api.Services.GetServices<IHostedService>().OfType<FleetReader>().Single();
        var metrics = _api.Services.GetRequiredService<FleetMetrics>();
        for (var reading = 0; reading < 3; reading++)
        {
            for (var beat = 0; beat <= reading; beat++)
            {
                (await _client.HeartbeatAsync("trend-1")).StatusCode.Should().Be(HttpStatusCode.OK);
            }

            _api.Clock.Advance(TimeSpan.FromSeconds(15));
            metrics.Observe(await reader.ReadAsync(CancellationToken.None));
        }

        var page = await SignInAsync(WorkerFleetApi.ReaderKey);
        var charts = page.Locator("#trends-charts");
        await Expect(charts.Locator("figure")).ToHaveCountAsync(2);
        await Expect(charts.Locator("path[data-series=heartbeats]")).ToHaveAttributeAsync("d", new Regex("^M[0-9.]+ [0-9.]+ L"));
        await Expect(charts.Locator("path[data-series]")).ToHaveCountAsync(5);
        await Expect(charts.GetByRole(AriaRole.Img, new() { Name = "Workers by status" })).ToBeVisibleAsync();
        await Expect(page.Locator("#trends-summary")).ToContainTextAsync("readings from");
        await DashboardBrowser.ScreenshotAsync(page, "last-hour");
    }

    private async Task<HttpStatusCode> HeartbeatWithAsync(string id, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/workers/{id}/heartbeat") { Headers = { Authorization = new("Bearer", token) } };
        using var worker = new HttpClient { BaseAddress = new Uri(_url) };
        return (await worker.SendAsync(request)).StatusCode;
    }

    private async Task<IPage> SignInAsync(string key, int width = 1440, int height = 900, Func<IPage, Task>? beforeSignIn = null)
    {
        var page = await _browser.OpenAsync(_url, width, height);
        if (beforeSignIn is not null)
        {
            await beforeSignIn(page);
        }

        await page.GotoAsync("/dashboard");
        await page.Locator("#key").FillAsync(key);
        await page.Locator("#key").PressAsync("Enter");
        await Expect(page.Locator("#content")).ToBeVisibleAsync();
        await Expect(page.Locator("#jobs tbody tr[data-job]")).Not.ToHaveCountAsync(0);
        return page;
    }

    private static ILocator JobRow(IPage page, JobKey job) => page.Locator($"#jobs tr[data-job='{job.Group}.{job.Name}']");

    private static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
