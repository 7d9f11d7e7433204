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
    public async Task Every_json_body_a_route_takes_or_answers_has_an_example_and_every_problem_its_own_status()
    {
        using var client = _api.CreateClient();
        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var missing = new List<string>();
        var problems = 0;

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                if (operation.Value.TryGetProperty("requestBody", out var body) && !HasExample(body, "application/json", schemas))
                {
                    missing.Add($"{name} request");
                }

                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    var status = int.Parse(response.Name, System.Globalization.CultureInfo.InvariantCulture);
                    if (response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var problem))
                    {
                        var example = problem.GetProperty("example");
                        example.GetProperty("status").GetInt32().Should().Be(status, "the problem example of {0} {1} is one of that status", name, status);
                        example.GetProperty("type").GetString().Should().StartWith("urn:workerfleet:problem:");
                        problems++;
                    }
                    else if (!HasExample(response.Value, "application/json", schemas))
                    {
                        missing.Add($"{name} {status}");
                    }
                }
            }
        }

        missing.Should().BeEmpty("every JSON body has an example");
        problems.Should().BeGreaterThan(20);
        var registered = document.GetProperty("paths").GetProperty("/workers").GetProperty("post").GetProperty("responses").GetProperty("201");
        ExampleOf(registered, "application/json", schemas).GetProperty("token").GetString().Should().StartWith("wft_");
        var refused = document.GetProperty("paths").GetProperty("/workers").GetProperty("post").GetProperty("responses").GetProperty("400");
        refused.GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("errors")
            .TryGetProperty("capacity", out _).Should().BeTrue("a registration's example names a field of the registration");
        var conflict = document.GetProperty("paths").GetProperty("/workers/{id}/status").GetProperty("put").GetProperty("responses").GetProperty("409");
        conflict.GetProperty("content").GetProperty("application/problem+json").GetProperty("example").GetProperty("type").GetString()
            .Should().Be("urn:workerfleet:problem:status-conflict");
    }

    // The validation examples are written out in ApiExamples: each must be what the route really answers.
    [TestCase("/workers", "post", "POST", "/workers", WorkerFleetApi.RegistrationKey, """{"id":"gpu-node-7","region":"eu-west-1","capacity":0}""")]
    [TestCase("/workers", "get", "GET", "/workers?limit=0", WorkerFleetApi.ReaderKey, null)]
    [TestCase("/workers/{id}/heartbeats", "get", "GET", "/workers/gpu-node-7/heartbeats?limit=0", WorkerFleetApi.ReaderKey, null)]
    [TestCase("/workers/{id}/schedulable", "put", "PUT", "/workers/gpu-node-7/schedulable", WorkerFleetApi.AdminKey, "{}")]
    [TestCase("/alarms/mass-failure/override", "post", "POST", "/alarms/mass-failure/override?region=%01", WorkerFleetApi.AdminKey, null)]
    public async Task A_validation_example_names_the_field_and_the_words_the_route_really_answers_with(
        string path, string operation, string method, string request, string key, string? body)
    {
        using var client = _api.CreateClient();
        var document = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        var example = document.GetProperty("paths").GetProperty(path).GetProperty(operation).GetProperty("responses").GetProperty("400")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("example");
        using var refused = new HttpRequestMessage(new HttpMethod(method), request) { Headers = { Authorization = new("Bearer", key) } };
        if (body is not null)
        {
            refused.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var answer = await (await client.SendAsync(refused)).ShouldBeProblemAsync(System.Net.HttpStatusCode.BadRequest, "invalid-configuration");

        System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(example.GetProperty("errors").GetRawText()),
            System.Text.Json.Nodes.JsonNode.Parse(answer.GetProperty("errors").GetRawText()))
            .Should().BeTrue("the example {0} is what {1} {2} answers: {3}", example.GetProperty("errors"), method, request, answer.GetProperty("errors"));
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

    private static bool HasExample(JsonElement bodyOrResponse, string mediaType, JsonElement schemas) =>
        !bodyOrResponse.TryGetProperty("content", out var content)
        || !content.TryGetProperty(mediaType, out _)
        || ExampleOf(bodyOrResponse, mediaType, schemas).ValueKind != JsonValueKind.Undefined;

    /// <summary>The example of a body: its media type's own, or its schema's, following a reference to a component.</summary>
    private static JsonElement ExampleOf(JsonElement bodyOrResponse, string mediaType, JsonElement schemas)
    {
        var media = bodyOrResponse.GetProperty("content").GetProperty(mediaType);
        if (media.TryGetProperty("example", out var own))
        {
            return own;
        }

        var schema = media.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.TryGetProperty("example", out var example) ? example : default;
    }

    private static string Text(JsonElement operation, string property) =>
        operation.TryGetProperty(property, out var value) ? value.GetString() ?? "" : "";
}
