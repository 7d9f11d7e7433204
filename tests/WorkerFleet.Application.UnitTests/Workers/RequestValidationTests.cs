using System.Buffers.Text;
using System.Text;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Application.Events.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers;

/// <summary>The id, limit, cursor, status and token rules every request other than a registration shares.</summary>
public class RequestValidationTests : ApplicationTest
{
    private static IEnumerable<TestCaseData> InvalidRequests()
    {
        yield return Case("heartbeat from an id with a space", new RecordHeartbeat("bad id", UnissuedToken), "id");
        yield return Case("unregistering the reserved id active", new UnregisterWorker("active"), "id");
        yield return Case("reading an id starting with a dash", new GetWorker("-worker"), "id");
        yield return Case("last heartbeat of an empty id", new GetLastHeartbeat(""), "id");
        yield return Case("history of the reserved id METADATA", new GetHeartbeatHistory("METADATA"), "id");
        yield return Case("metadata of an id with a slash", new GetWorkerMetadata("worker/1"), "id");
        yield return Case("status change of an id of 129 characters", new UpdateWorkerStatus(new string('w', 129), "Failed"), "id");
        yield return Case("token rotation of an id with a space", new RotateWorkerToken("bad id"), "id");
        yield return Case("cordoning an id with a space", new SetWorkerSchedulable("bad id", false), "id");
        yield return Case("the timeline of an id with a space", new GetWorkerEvents("bad id"), "id");
        yield return Case("a timeline limit of 0", new GetWorkerEvents("worker-1", Limit: 0), "limit");
        yield return Case("a timeline cursor of sequence 0", new GetWorkerEvents("worker-1", Cursor: Forge("0")), "cursor");
        yield return Case("a timeline cursor that is not a number", new GetWorkerEvents("worker-1", Cursor: Forge("x1")), "cursor");

        yield return Case("history limit 0", new GetHeartbeatHistory("worker-1", 0), "limit");
        yield return Case("history limit 1001", new GetHeartbeatHistory("worker-1", 1001), "limit");
        yield return Case("active workers limit 0", new ListWorkers { Status = "Active", Limit = 0 }, "limit");
        yield return Case("all workers limit -1", new ListWorkers { Limit = -1 }, "limit");
        yield return Case("all workers limit 1001", new ListWorkers { Limit = 1001 }, "limit");
        yield return Case("workers with metadata limit 1001", new GetWorkersWithMetadata(Limit: 1001), "limit");
        yield return Case("token holders limit 0", new ListTokenHolders(0), "limit");

        yield return Case("cursor that is not base64url", new ListWorkers { Cursor = "not a cursor!" }, "cursor");
        yield return Case("cursor of an impossible length", new ListWorkers { Cursor = "a" }, "cursor");
        yield return Case("cursor naming an invalid id", new ListWorkers { Cursor = Forge("bad id") }, "cursor");
        yield return Case("cursor naming the reserved word active", new ListWorkers { Status = "Active", Cursor = Forge("active") }, "cursor");
        yield return Case("cursor naming an id of 129 characters", new ListWorkers { Cursor = Forge(new string('a', 129)) }, "cursor");
        yield return Case("cursor longer than any this service issues", new ListWorkers { Status = "Active", Cursor = Forge(new string('a', 200)) }, "cursor");
        yield return Case("cursor that is not UTF-8", new GetWorkersWithMetadata(Cursor: Base64Url.EncodeToString([0xff, 0xfe, 0x41])), "cursor");

        yield return Case("status Unknown", new ListWorkers { Status = "Unknown" }, "status");
        yield return Case("status given as a number", new ListWorkers { Status = "1" }, "status");
        yield return Case("status with a leading space", new ListWorkers { Status = " Active" }, "status");
        yield return Case("status with a trailing space", new ListWorkers { Status = "Active " }, "status");
        yield return Case("empty status", new ListWorkers { Status = "" }, "status");
        yield return Case("metadata list status Bogus", new GetWorkersWithMetadata("Bogus"), "status");
        yield return Case("new status Dead", new UpdateWorkerStatus("worker-1", "Dead"), "status");
        yield return Case("new status given as a number", new UpdateWorkerStatus("worker-1", "3"), "status");
        yield return Case("empty new status", new UpdateWorkerStatus("worker-1", ""), "status");
        yield return Case("expected status Nope", new UpdateWorkerStatus("worker-1", "Failed", "Nope"), "expectedStatus");

        yield return Case("empty id prefix", new ListWorkers { IdPrefix = "" }, "idPrefix");
        yield return Case("id prefix of 129 characters", new ListWorkers { IdPrefix = new string('w', 129) }, "idPrefix");
        yield return Case("id prefix with a space", new ListWorkers { IdPrefix = "web 1" }, "idPrefix");
        yield return Case("id prefix with a LIKE wildcard", new ListWorkers { IdPrefix = "web%" }, "idPrefix");
        yield return Case("id prefix with a slash", new ListWorkers { Status = "Active", IdPrefix = "web/" }, "idPrefix");
        yield return Case("id prefix with a non-ASCII letter", new ListWorkers { Status = "Active", IdPrefix = "wörker" }, "idPrefix");
        yield return Case("id prefix with a control character", new ListWorkers { Status = "Active", IdPrefix = "web\n" }, "idPrefix");

        yield return Case("selection by a region with a NUL", new ListWorkers { Region = "us\u0000east" }, "region");
        yield return Case("selection by 33 capabilities", new ListWorkers { Capabilities = [.. Enumerable.Range(0, 33).Select(i => $"cap-{i}")] }, "capability");
        yield return Case("selection by a capability of 65 characters among valid ones", new ListWorkers { Capabilities = ["gpu", new string('c', 65)] }, "capability");
        yield return Case("selection by a minimum capacity of 0", new ListWorkers { MinCapacity = 0 }, "minCapacity");
        yield return Case("selection by a minimum capacity of 100001", new ListWorkers { MinCapacity = 100_001 }, "minCapacity");

        yield return Case("heartbeat without a token", new RecordHeartbeat("worker-1", null!), "token");
        yield return Case("heartbeat with an empty token", new RecordHeartbeat("worker-1", ""), "token");
        yield return Case("heartbeat with a token of 129 characters", new RecordHeartbeat("worker-1", TokenOfLength(129)), "token");
        yield return Case("unregistering with a token without the prefix", new UnregisterWorker("worker-1", "not-a-token"), "token");
        yield return Case("unregistering with an empty token", new UnregisterWorker("worker-1", ""), "token");
        yield return Case("identifying a missing token", new IdentifyWorker(null!), "token");
        yield return Case("identifying a token that is only the prefix", new IdentifyWorker(WorkerToken.Prefix), "token");
        yield return Case("identifying a bearer header instead of a token", new IdentifyWorker("Bearer wft_abc"), "token");
    }

    [TestCaseSource(nameof(InvalidRequests))]
    public async Task A_request_breaking_a_rule_is_refused_on_that_field_before_storage_is_touched(
        SentRequest request, string field)
    {
        var error = await request.SendAsync(App);

        error.Should().BeOfType<InvalidConfiguration>().Which.Errors.Keys.Should().Equal(field);
        Storage.Calls.Should().Be(0);
    }

    [Test]
    public async Task Limits_from_1_to_1000_are_accepted()
    {
        await RegisterAsync("worker-1");

        (await SendAsync(new ListWorkers { Limit = 1 })).Value.Items.Should().HaveCount(1);
        (await SendAsync(new ListWorkers { Limit = 1000 })).Value.Items.Should().HaveCount(1);
        (await SendAsync(new GetHeartbeatHistory("worker-1", 1000))).IsSuccess.Should().BeTrue();
    }

    [Test]
    public async Task A_timeline_cursor_of_sequence_1_is_accepted()
    {
        await RegisterAsync("worker-1");

        (await SendAsync(new GetWorkerEvents("worker-1", Cursor: Forge("1")))).IsSuccess.Should().BeTrue();
    }

    [Test]
    public async Task A_selection_may_ask_for_32_capabilities_and_a_minimum_capacity_from_1_to_100000()
    {
        (await SendAsync(new ListWorkers { Capabilities = [.. Enumerable.Range(0, 32).Select(i => $"cap-{i}")] })).IsSuccess.Should().BeTrue();
        (await SendAsync(new ListWorkers { MinCapacity = 1, Region = "eu-west-1" })).IsSuccess.Should().BeTrue();
        (await SendAsync(new ListWorkers { MinCapacity = 100_000 })).IsSuccess.Should().BeTrue();
    }

    [TestCase("w")]
    [TestCase("W")]
    [TestCase("9.node_a-b")]
    [TestCase("-")]
    [TestCase("active")]
    public async Task Id_prefixes_of_id_characters_are_accepted(string idPrefix)
    {
        (await SendAsync(new ListWorkers { IdPrefix = idPrefix })).IsSuccess.Should().BeTrue();
        (await SendAsync(new ListWorkers { Status = "Active", IdPrefix = idPrefix })).IsSuccess.Should().BeTrue();
    }

    [Test]
    public async Task An_id_prefix_may_be_as_long_as_an_id()
    {
        var id = new string('w', WorkerId.MaxLength);
        await RegisterAsync(id);

        (await SendAsync(new ListWorkers { IdPrefix = id })).Value.Items.Select(w => w.Id.Value).Should().Equal(id);
    }

    [Test]
    public async Task A_token_of_the_issued_shape_is_looked_up()
    {
        await RegisterAsync("worker-1");

        (await SendAsync(new IdentifyWorker(TokenOfLength(47)))).Error.Should().Be(new InvalidWorkerToken());
        (await SendAsync(new RecordHeartbeat("worker-1", TokenOfLength(47)))).Error.Should().Be(new InvalidWorkerToken());
        (await SendAsync(new UnregisterWorker("worker-1", TokenOfLength(47)))).Error.Should().Be(new InvalidWorkerToken());
    }

    [TestCase(46)]
    [TestCase(48)]
    [TestCase(128)]
    public async Task A_prefixed_token_of_another_length_is_refused_without_a_lookup(int length)
    {
        await RegisterAsync("worker-1");

        (await SendAsync(new IdentifyWorker(TokenOfLength(length)))).Error.Should().BeOfType<InvalidConfiguration>()
            .Which.Errors.Keys.Should().Equal("token");
        (await SendAsync(new RecordHeartbeat("worker-1", TokenOfLength(length)))).Error.Should().BeOfType<InvalidConfiguration>()
            .Which.Errors.Keys.Should().Equal("token");
    }

    [Test]
    public async Task An_empty_cursor_reads_from_the_first_worker()
    {
        await RegisterAsync("worker-1");

        var page = (await SendAsync(new ListWorkers { Cursor = "" })).Value;

        page.Items.Select(w => w.Id.Value).Should().Equal("worker-1");
    }

    [Test]
    public async Task A_cursor_naming_any_valid_id_continues_after_that_id_even_if_no_worker_has_it()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-3");

        var page = (await SendAsync(new ListWorkers { Cursor = PageCursor.Encode(WorkerId.From("worker-2")) })).Value;

        page.Items.Select(w => w.Id.Value).Should().Equal("worker-3");
    }

    [Test]
    public async Task Refusals_explain_the_rule_that_was_broken()
    {
        var limit = await SendAsync(new ListWorkers { Limit = 0, Cursor = "not a cursor!" });
        var status = await SendAsync(new ListWorkers { Status = "Unknown" });
        var idPrefix = await SendAsync(new ListWorkers { IdPrefix = "web 1" });

        var errors = limit.Error.Should().BeOfType<InvalidConfiguration>().Subject.Errors;
        errors["limit"].Should().Equal("limit must be between 1 and 1000.");
        errors["cursor"].Should().Equal("cursor is not one this service issued.");
        status.Error.Should().BeOfType<InvalidConfiguration>()
            .Which.Errors["status"].Should().Equal("status must be one of Pending, Active, Offline, Failed.");
        idPrefix.Error.Should().BeOfType<InvalidConfiguration>()
            .Which.Errors["idPrefix"].Should().Equal("idPrefix must be 1–128 characters of A–Z a–z 0–9 . _ -.");
    }

    private static TestCaseData Case<T>(string rule, IRequest<Result<T>> request, string field) =>
        new TestCaseData(SentRequest.Of(request), field).SetArgDisplayNames(rule);

    private static string TokenOfLength(int length) => WorkerToken.Prefix + new string('t', length - WorkerToken.Prefix.Length);

    private static string Forge(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));
}
