using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Client.Tests.Testing;

namespace WorkerFleet.Client.Tests;

[CancelAfter(10_000)]
public class ClientTests
{
    private const string ApiKey = "admin-key-0123456789abcdef0123456789abcdef";
    private const string Token = "wft_token-of-gpu-7-0123456789abcdefghijklmnop";
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);
    private ScriptedHandler _service = null!;
    private ServiceProvider _services = null!;
    private IWorkerFleetClient _client = null!;

    private static IEnumerable<TestCaseData> Routes()
    {
        TestCaseData Route(string name, Func<IWorkerFleetClient, Task> call, string method, string pathAndQuery, string bearer) =>
            new TestCaseData(call, method, pathAndQuery, bearer).SetArgDisplayNames(name);

        yield return Route("get", c => c.GetAsync("gpu-7"), "GET", "/workers/gpu-7", ApiKey);
        yield return Route("an id that needs escaping", c => c.GetAsync("a b"), "GET", "/workers/a%20b", ApiKey);
        yield return Route("metadata", c => c.GetMetadataAsync("gpu-7"), "GET", "/workers/gpu-7/metadata", ApiKey);
        yield return Route("metadata list", c => c.ListMetadataAsync(WorkerStatus.Offline, 20, "c1"), "GET", "/workers/metadata?status=Offline&limit=20&cursor=c1", ApiKey);
        yield return Route("heartbeats", c => c.GetHeartbeatsAsync("gpu-7", 5), "GET", "/workers/gpu-7/heartbeats?limit=5", ApiKey);
        yield return Route("every worker", c => c.ListAsync(), "GET", "/workers", ApiKey);
        yield return Route("active", c => c.ListActiveAsync(10, "c2"), "GET", "/workers/active?limit=10&cursor=c2", ApiKey);
        yield return Route("counts", c => c.CountsAsync(), "GET", "/workers/counts", ApiKey);
        yield return Route("token rotation", c => c.RotateTokenAsync("gpu-7"), "POST", "/workers/gpu-7/token", ApiKey);
        yield return Route("unregister by an operator", c => c.UnregisterAsync("gpu-7"), "DELETE", "/workers/gpu-7", ApiKey);
        yield return Route("unregister by the worker", c => c.UnregisterAsync("gpu-7", new WorkerToken(Token)), "DELETE", "/workers/gpu-7", Token);
        yield return Route("heartbeat", c => c.HeartbeatAsync("gpu-7", new WorkerToken(Token)), "POST", "/workers/gpu-7/heartbeat", Token);
        yield return Route("worker events", c => c.GetWorkerEventsAsync("gpu-7", 50, "c3"), "GET", "/workers/gpu-7/events?limit=50&cursor=c3", ApiKey);
        yield return Route("fleet events", c => c.GetEventsAsync(4182, 100), "GET", "/events?after=4182&limit=100", ApiKey);
        yield return Route("fleet events from the start", c => c.GetEventsAsync(), "GET", "/events?after=0", ApiKey);
    }

    [SetUp]
    public void CreateClient() => UseClient(new Uri("http://127.0.0.1:5080/"));

    [TearDown]
    public void DisposeClient()
    {
        _services.Dispose();
        _service.Dispose();
    }

    [TestCaseSource(nameof(Routes))]
    public async Task Each_route_is_called_with_its_method_path_query_and_credential(
        Func<IWorkerFleetClient, Task> call, string method, string pathAndQuery, string bearer)
    {
        _service.Answer(Answers.Problem(HttpStatusCode.NotFound, ProblemTypes.WorkerNotFound));

        await call(_client);

        _service.Requests.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Method = new HttpMethod(method), PathAndQuery = pathAndQuery, Bearer = bearer });
    }

    [Test]
    public async Task A_list_sends_every_filter_and_repeats_the_capability()
    {
        _service.Answer(Answers.Json(HttpStatusCode.OK, $$"""{"items":[{{Answers.WorkerJson("gpu-7", "Active")}}],"nextCursor":"next"}"""));

        var page = await _client.ListAsync(new WorkerQuery
        {
            Status = WorkerStatus.Active,
            IdPrefix = "gpu-",
            Region = "eu west/1",
            Capabilities = ["compute", "storage"],
            MinCapacity = 8,
            Schedulable = false,
            Limit = 10,
            Cursor = "abc=",
        });

        _service.Requests.Single().PathAndQuery.Should().Be(
            "/workers?status=Active&idPrefix=gpu-&region=eu%20west%2F1&capability=compute&capability=storage&minCapacity=8&schedulable=false&limit=10&cursor=abc%3D");
        page.Value.Items.Should().ContainSingle().Which.Status.Should().Be(WorkerStatus.Active);
        page.Value.NextCursor.Should().Be("next");
    }

    [Test]
    public async Task A_registration_sends_the_worker_with_the_registration_key_and_reads_the_worker_and_its_token()
    {
        _service.Answer(Answers.Registered("gpu-7", Token));

        var result = await _client.RegisterAsync(new WorkerRegistration("gpu-7", "eu-west-1", 4, ["compute"], new Dictionary<string, string> { ["rack"] = "r7" }));

        var request = _service.Requests.Single();
        request.Should().BeEquivalentTo(new { PathAndQuery = "/workers", Bearer = ApiKey });
        JsonDocument.Parse(request.Body!).RootElement.ToString().Should().Be(
            """{"id":"gpu-7","region":"eu-west-1","capacity":4,"capabilities":["compute"],"metadata":{"rack":"r7"}}""");
        result.StatusCode.Should().Be(HttpStatusCode.Created);
        result.Value.Token.Value.Should().Be(Token);
        result.Value.Worker.Should().BeEquivalentTo(new
        {
            Id = "gpu-7",
            Region = "eu-west-1",
            Capacity = 4,
            Capabilities = new[] { "compute", "storage" },
            Status = WorkerStatus.Pending,
            RegisteredAt = Answers.RegisteredAt,
            LastHeartbeatAt = (DateTimeOffset?)null,
            Schedulable = true,
        });
        result.Value.ToString().Should().Contain(WorkerToken.Redacted).And.NotContain(Token);
    }

    [Test]
    public async Task A_registration_without_capabilities_or_metadata_leaves_them_out()
    {
        _service.Answer(Answers.Registered("gpu-7", Token));

        await _client.RegisterAsync(new WorkerRegistration("gpu-7", "eu-west-1", 4));

        _service.Requests.Single().Body.Should().Be("""{"id":"gpu-7","region":"eu-west-1","capacity":4}""");
    }

    [Test]
    public async Task A_heartbeat_reads_the_pace_in_seconds_as_a_time_span()
    {
        _service.Answer(Answers.Heartbeat("gpu-7", Now, nextInSeconds: 1.137, status: "Active"));

        var receipt = (await _client.HeartbeatAsync("gpu-7", new WorkerToken(Token))).Value;

        receipt.Should().Be(new HeartbeatReceipt("gpu-7", Now, WorkerStatus.Active, TimeSpan.FromMilliseconds(1137)));
        _service.Requests.Single().Body.Should().BeNull();
    }

    [Test]
    public async Task A_status_change_sends_the_status_and_the_expected_one_by_name()
    {
        _service.Answer(Answers.Json(HttpStatusCode.OK, Answers.WorkerJson("gpu-7", "Failed")), Answers.Json(HttpStatusCode.OK, Answers.WorkerJson("gpu-7", "Failed")));

        var changed = await _client.UpdateStatusAsync("gpu-7", WorkerStatus.Failed, WorkerStatus.Active);
        await _client.UpdateStatusAsync("gpu-7", WorkerStatus.Failed);

        _service.Requests.Select(r => (r.Method.Method, r.PathAndQuery, r.Bearer, r.Body)).Should().Equal(
            ("PUT", "/workers/gpu-7/status", ApiKey, """{"status":"Failed","expectedStatus":"Active"}"""),
            ("PUT", "/workers/gpu-7/status", ApiKey, """{"status":"Failed"}"""));
        changed.Value.Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task Taking_a_worker_out_of_scheduling_sends_the_flag_and_the_reason_and_reads_the_worker()
    {
        _service.Answer(Answers.Json(HttpStatusCode.OK, Answers.WorkerJson("gpu-7", "Active", schedulable: false)));

        var worker = await _client.SetSchedulableAsync("gpu-7", schedulable: false, reason: "disk replacement");

        _service.Requests.Single().Should().BeEquivalentTo(new
        {
            Method = HttpMethod.Put,
            PathAndQuery = "/workers/gpu-7/schedulable",
            Bearer = ApiKey,
            Body = """{"schedulable":false,"reason":"disk replacement"}""",
        });
        worker.Value.Schedulable.Should().BeFalse();
    }

    [Test]
    public async Task A_worker_from_a_service_that_does_not_send_schedulable_counts_as_schedulable()
    {
        _service.Answer(Answers.Json(HttpStatusCode.OK, Answers.WorkerJson("gpu-7").Replace(",\"schedulable\":true", "", StringComparison.Ordinal)));

        (await _client.GetAsync("gpu-7")).Value.Schedulable.Should().BeTrue();
    }

    [Test]
    public async Task Unregistering_answers_a_success_without_a_value()
    {
        _service.Answer(Answers.NoContent());

        var result = await _client.UnregisterAsync("gpu-7", new WorkerToken(Token));

        result.IsSuccess.Should().BeTrue();
        result.StatusCode.Should().Be(HttpStatusCode.NoContent);
        result.Problem.Should().BeNull();
    }

    [Test]
    public async Task Events_are_read_with_their_statuses_trigger_and_facts()
    {
        _service.Answer(Answers.Json(HttpStatusCode.OK, """
            {"items":[{"sequence":4182,"at":"2026-12-02T03:12:00.004312Z","workerId":"gpu-7","type":"status-changed",
             "from":"Active","to":"Offline","trigger":"stale-detection","actor":"stale-detection job","reason":"Last heartbeat …",
             "lastHeartbeatAt":"2026-12-02T03:09:41.1182Z","cutoff":"2026-12-02T03:10:00.004312Z"},
             {"sequence":4183,"at":"2026-12-02T03:13:00Z","workerId":"gpu-8","type":"registered","from":null,"to":"Pending",
             "trigger":null,"actor":"registration key","reason":"Registered by registration key.","lastHeartbeatAt":null,"cutoff":null}],
             "nextAfter":4183,"latest":4190}
            """));

        var page = (await _client.GetEventsAsync(4181)).Value;

        page.NextAfter.Should().Be(4183);
        page.Latest.Should().Be(4190);
        page.Items.Should().HaveCount(2);
        page.Items[0].Should().BeEquivalentTo(new
        {
            Sequence = 4182L,
            WorkerId = "gpu-7",
            Type = "status-changed",
            From = (WorkerStatus?)WorkerStatus.Active,
            To = (WorkerStatus?)WorkerStatus.Offline,
            Trigger = "stale-detection",
            Cutoff = (DateTimeOffset?)new DateTimeOffset(2026, 12, 2, 3, 10, 0, TimeSpan.Zero).AddTicks(43120),
        });
        page.Items[1].From.Should().BeNull();
        page.Items[1].Trigger.Should().BeNull();
    }

    [Test]
    public async Task A_refusal_carries_the_status_problem_type_title_detail_and_field_errors()
    {
        _service.Answer(Answers.Problem(
            HttpStatusCode.BadRequest,
            ProblemTypes.InvalidConfiguration,
            errors: """{"region":["Region must be 1–64 characters."],"capacity":["Capacity must be 1–100000.","Capacity is required."]}"""));

        var result = await _client.RegisterAsync(new WorkerRegistration("gpu-7", "", 0));

        result.IsSuccess.Should().BeFalse();
        result.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        result.Problem.Should().BeEquivalentTo(new
        {
            Status = HttpStatusCode.BadRequest,
            Type = ProblemTypes.InvalidConfiguration,
            Title = "Title of BadRequest",
            Detail = "Detail of BadRequest.",
            RetryAfter = (TimeSpan?)null,
        });
        result.Problem!.Is(ProblemTypes.InvalidConfiguration).Should().BeTrue();
        result.Problem.Errors.Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["region"] = ["Region must be 1–64 characters."],
            ["capacity"] = ["Capacity must be 1–100000.", "Capacity is required."],
        });
        var value = () => result.Value;
        value.Should().Throw<InvalidOperationException>().WithMessage($"*400 {ProblemTypes.InvalidConfiguration}*");
    }

    [Test]
    public async Task A_retry_after_in_seconds_or_as_a_date_is_read_as_the_wait()
    {
        var dated = Answers.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageUnavailable);
        dated.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(Now.AddSeconds(12));
        _service.Answer(Answers.Problem(HttpStatusCode.TooManyRequests, ProblemTypes.TooManyHeartbeats, retryAfter: TimeSpan.FromSeconds(7)), dated);

        var throttled = await _client.HeartbeatAsync("gpu-7", new WorkerToken(Token));
        var unavailable = await _client.CountsAsync();

        throttled.Problem!.Should().BeEquivalentTo(new { Status = HttpStatusCode.TooManyRequests, Type = ProblemTypes.TooManyHeartbeats, RetryAfter = (TimeSpan?)TimeSpan.FromSeconds(7) });
        unavailable.Problem!.RetryAfter.Should().Be(TimeSpan.FromSeconds(12), "measured on the client's clock");
    }

    [Test]
    public async Task An_answer_that_is_not_a_problem_document_still_carries_the_status_and_reason()
    {
        _service.Answer(new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>"), ReasonPhrase = "Bad Gateway" });

        var result = await _client.GetAsync("gpu-7");

        result.Problem.Should().BeEquivalentTo(new { Status = HttpStatusCode.BadGateway, Type = (string?)null, Title = "Bad Gateway", Detail = (string?)null });
        result.Problem!.Errors.Should().BeEmpty();
    }

    [Test]
    public async Task An_unreachable_service_throws_instead_of_answering_a_result()
    {
        _service.Throw(new HttpRequestException("Connection refused (127.0.0.1:5080)"));

        var call = () => _client.HeartbeatAsync("gpu-7", new WorkerToken(Token));

        (await call.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().NotContain(Token);
    }

    [Test]
    public async Task A_service_that_does_not_answer_in_time_throws_a_timeout()
    {
        DisposeClient();
        UseClient(new Uri("http://127.0.0.1:5080/"), timeout: TimeSpan.FromMilliseconds(50));

        var call = () => _client.CountsAsync();

        (await call.Should().ThrowAsync<TaskCanceledException>()).WithInnerException<TimeoutException>();
    }

    [Test]
    public async Task A_base_address_with_a_path_keeps_it_with_or_without_a_trailing_slash()
    {
        DisposeClient();
        UseClient(new Uri("http://127.0.0.1:5080/fleet"));
        _service.Answer(Answers.Problem(HttpStatusCode.NotFound, ProblemTypes.WorkerNotFound));

        await _client.GetAsync("gpu-7");

        _service.Requests.Single().PathAndQuery.Should().Be("/fleet/workers/gpu-7");
    }

    [TestCase("ftp://fleet.internal/", "must be an absolute http or https address")]
    [TestCase("http://fleet.internal/?x=1", "must not have a query or fragment")]
    public void A_base_address_that_is_not_a_plain_http_address_stops_the_start(string address, string message)
    {
        using var services = new ServiceCollection().AddWorkerFleetClient(o => o.BaseAddress = new Uri(address)).Services.BuildServiceProvider();

        var start = () => services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage($"*WorkerFleetClientOptions.BaseAddress {message}*");
    }

    [Test]
    public void A_missing_base_address_stops_the_start()
    {
        using var services = new ServiceCollection().AddWorkerFleetClient(_ => { }).Services.BuildServiceProvider();

        var start = () => services.GetRequiredService<IStartupValidator>().Validate();

        start.Should().Throw<OptionsValidationException>().WithMessage("*WorkerFleetClientOptions.BaseAddress is required*");
    }

    [Test]
    public void A_token_never_prints_itself()
    {
        var token = new WorkerToken(Token);

        token.ToString().Should().Be(WorkerToken.Redacted);
        new IssuedWorkerToken("gpu-7", token).ToString().Should().NotContain(Token);
        $"{token}".Should().NotContain(Token);
    }

    private void UseClient(Uri baseAddress, TimeSpan? timeout = null)
    {
        _service = new ScriptedHandler(_time);
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(_time)
            .AddWorkerFleetClient(options =>
            {
                options.BaseAddress = baseAddress;
                options.ApiKey = ApiKey;
                options.Timeout = timeout ?? TimeSpan.FromSeconds(10);
            })
            .ConfigurePrimaryHttpMessageHandler(() => _service)
            .Services
            .BuildServiceProvider();
        _client = _services.GetRequiredService<IWorkerFleetClient>();
    }
}
