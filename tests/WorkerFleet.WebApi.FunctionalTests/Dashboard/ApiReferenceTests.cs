using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkerFleet.WebApi.FunctionalTests.Dashboard;

/// <summary>The two OpenAPI documents, and the interactive reference over them in Debian's Chromium: about WorkerFleet
/// first, and working offline.</summary>
public class ApiReferenceTests
{
    private WorkerFleetApi _api = null!;
    private DashboardBrowser _browser = null!;
    private string _url = null!;

    [OneTimeSetUp]
    public async Task StartServiceAndBrowser()
    {
        _api = new WorkerFleetApi();
        _api.UseKestrel(0);
        _api.StartServer();
        _url = _api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _browser = await DashboardBrowser.LaunchAsync();
        SetDefaultExpectTimeout(20_000);
    }

    [OneTimeTearDown]
    public async Task StopServiceAndBrowser()
    {
        await _browser.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Test]
    public async Task The_workerfleet_document_describes_every_operation_with_the_workers_first_and_without_quartz()
    {
        using var client = _api.CreateClient();
        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();

        document.GetProperty("info").GetProperty("title").GetString().Should().Be("WorkerFleet");
        document.GetProperty("info").GetProperty("description").GetString().Should().Contain("invalid-configuration").And.Contain("storage-unavailable");
        document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Should().StartWith(["Workers", "Events"]);
        var paths = document.GetProperty("paths").EnumerateObject().ToList();
        paths.Select(p => p.Name).Should().Contain(["/workers", "/workers/{id}/heartbeat", "/workers/{id}/schedulable", "/events/stream", "/health"])
            .And.NotContain(p => p.StartsWith("/quartz-api", StringComparison.Ordinal));
        var operations = paths.SelectMany(p => p.Value.EnumerateObject().Select(o => (Name: $"{o.Name.ToUpperInvariant()} {p.Name}", Operation: o.Value))).ToList();
        operations.Should().HaveCountGreaterThan(20);
        operations.Should().OnlyContain(o => Text(o.Operation, "summary").Length > 0 && Text(o.Operation, "description").Length > 0,
            "every operation says what it does: {0}", string.Join(", ", operations.Where(o => Text(o.Operation, "summary").Length == 0).Select(o => o.Name)));

        var quartz = await (await client.GetAsync("/openapi/quartz.json")).ReadJsonAsync();
        quartz.GetProperty("paths").EnumerateObject().Select(p => p.Name).Should().NotBeEmpty()
            .And.OnlyContain(p => p.StartsWith("/quartz-api", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_reference_loads_only_from_the_service_and_shows_no_vendor_buttons()
    {
        var page = await _browser.OpenAsync(_url);
        var requested = new ConcurrentQueue<string>();
        page.Request += (_, request) => requested.Enqueue(request.Url);

        await page.GotoAsync("/scalar");

        await Expect(page.GetByText("Register a worker").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await DashboardBrowser.ScreenshotAsync(page, "api-reference");
        requested.Should().NotBeEmpty().And.OnlyContain(url => url.StartsWith(_url, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal),
            "the reference works offline");
        var text = await page.Locator("body").InnerTextAsync();
        text.Should().NotContainAny("Ask AI", "Generate SDK", "Deploy");
    }

    private static string Text(JsonElement operation, string property) =>
        operation.TryGetProperty(property, out var value) ? value.GetString() ?? "" : "";
}
