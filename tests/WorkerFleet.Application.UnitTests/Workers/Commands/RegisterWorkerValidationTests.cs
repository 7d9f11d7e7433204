using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class RegisterWorkerValidationTests : ApplicationTest
{
    private static readonly RegisterWorker Valid = new(
        "worker-1", "us-east-1", 10, ["compute"], new Dictionary<string, string> { ["datacenter"] = "dc-1" });

    private static IEnumerable<TestCaseData> InvalidRegistrations()
    {
        TestCaseData Case(string rule, RegisterWorker request, string field) =>
            new TestCaseData(request, field).SetArgDisplayNames(rule);

        yield return Case("id missing", Valid with { Id = null! }, "id");
        yield return Case("id empty", Valid with { Id = "" }, "id");
        yield return Case("id of 129 characters", Valid with { Id = new string('a', 129) }, "id");
        yield return Case("id starting with a dash", Valid with { Id = "-worker" }, "id");
        yield return Case("id starting with a dot", Valid with { Id = ".worker" }, "id");
        yield return Case("id with a space", Valid with { Id = "worker 1" }, "id");
        yield return Case("id with a slash", Valid with { Id = "worker/1" }, "id");
        yield return Case("id with a non-ASCII letter", Valid with { Id = "wörker" }, "id");
        yield return Case("id reserved word active", Valid with { Id = "active" }, "id");
        yield return Case("id reserved word ACTIVE in capitals", Valid with { Id = "ACTIVE" }, "id");
        yield return Case("id reserved word metadata", Valid with { Id = "metadata" }, "id");
        yield return Case("id reserved word Metadata in mixed case", Valid with { Id = "Metadata" }, "id");
        yield return Case("id reserved word counts", Valid with { Id = "counts" }, "id");
        yield return Case("region missing", Valid with { Region = null! }, "region");
        yield return Case("region empty", Valid with { Region = "" }, "region");
        yield return Case("region of 65 characters", Valid with { Region = new string('r', 65) }, "region");
        yield return Case("region with a tab", Valid with { Region = "us\teast" }, "region");
        yield return Case("region with a newline", Valid with { Region = "us-east\n" }, "region");
        yield return Case("region with a NUL", Valid with { Region = "us\0east" }, "region");
        yield return Case("capacity 0", Valid with { Capacity = 0 }, "capacity");
        yield return Case("capacity negative", Valid with { Capacity = -1 }, "capacity");
        yield return Case("capacity 100001", Valid with { Capacity = 100_001 }, "capacity");
        yield return Case("33 capabilities", Valid with { Capabilities = Names("cap", 33) }, "capabilities");
        yield return Case("a repeated capability", Valid with { Capabilities = ["compute", "gpu", "compute"] }, "capabilities");
        yield return Case("an empty capability", Valid with { Capabilities = [""] }, "capabilities[0]");
        yield return Case("a missing capability", Valid with { Capabilities = ["compute", null!] }, "capabilities[1]");
        yield return Case("a capability of 65 characters", Valid with { Capabilities = ["compute", new string('c', 65)] }, "capabilities[1]");
        yield return Case("33 metadata entries", Valid with { Metadata = Entries(33) }, "metadata");
        yield return Case("an empty metadata key", Valid with { Metadata = new Dictionary<string, string> { [""] = "x" } }, "metadata");
        yield return Case("a metadata key of 65 characters", Valid with { Metadata = new Dictionary<string, string> { [new string('k', 65)] = "x" } }, "metadata");
        yield return Case("a metadata value of 513 characters", Valid with { Metadata = new Dictionary<string, string> { ["k"] = new string('v', 513) } }, "metadata");
        yield return Case("a missing metadata value", Valid with { Metadata = new Dictionary<string, string> { ["k"] = null! } }, "metadata");
        yield return Case("a region with an unpaired high surrogate", Valid with { Region = "us-\ud800" }, "region");
        yield return Case("a capability with a NUL", Valid with { Capabilities = ["gpu\0"] }, "capabilities[0]");
        yield return Case("a capability with an unpaired low surrogate", Valid with { Capabilities = ["\udc00gpu"] }, "capabilities[0]");
        yield return Case("a capability with a DEL", Valid with { Capabilities = ["gpu\u007f"] }, "capabilities[0]");
        yield return Case("a good metadata entry beside one with an empty key", Valid with { Metadata = new Dictionary<string, string> { ["k"] = "x", [""] = "y" } }, "metadata");
        yield return Case("a good metadata entry beside one with a value of 513 characters",
            Valid with { Metadata = new Dictionary<string, string> { ["k"] = "x", ["l"] = new string('v', 513) } }, "metadata");
        yield return Case("a metadata key with a NUL", Valid with { Metadata = new Dictionary<string, string> { ["a\0b"] = "x" } }, "metadata");
        yield return Case("a metadata value with a NUL", Valid with { Metadata = new Dictionary<string, string> { ["k"] = "\0" } }, "metadata");
        yield return Case("a metadata value with a C1 control", Valid with { Metadata = new Dictionary<string, string> { ["k"] = "a\u0085" } }, "metadata");
        yield return Case("a metadata value ending in half a surrogate pair", Valid with { Metadata = new Dictionary<string, string> { ["k"] = "\ud83d" } }, "metadata");
    }

    private static IEnumerable<TestCaseData> ValidRegistrations()
    {
        TestCaseData Case(string rule, RegisterWorker request) => new TestCaseData(request).SetArgDisplayNames(rule);

        yield return Case("a one-letter id", Valid with { Id = "W" });
        yield return Case("an id of 128 characters", Valid with { Id = new string('a', 128) });
        yield return Case("an id of every allowed character", Valid with { Id = "9.node_A-b" });
        yield return Case("an id that merely starts with a reserved word", Valid with { Id = "activex" });
        yield return Case("a one-character region", Valid with { Region = "r" });
        yield return Case("a region of 64 characters", Valid with { Region = new string('r', 64) });
        yield return Case("text beyond the basic plane", Valid with
        {
            Region = "région-\U0001F30D", Capabilities = ["gpu-\U0001F680"], Metadata = new Dictionary<string, string> { ["emoji-\U0001F600"] = "\U0001F680" },
        });
        yield return Case("a region with spaces and accents", Valid with { Region = "São Paulo (south)" });
        yield return Case("capacity 1", Valid with { Capacity = 1 });
        yield return Case("capacity 100000", Valid with { Capacity = 100_000 });
        yield return Case("no capabilities", Valid with { Capabilities = null });
        yield return Case("an empty capability list", Valid with { Capabilities = [] });
        yield return Case("32 capabilities", Valid with { Capabilities = Names("cap", 32) });
        yield return Case("a capability of 64 characters", Valid with { Capabilities = [new string('c', 64)] });
        yield return Case("capabilities differing only in case", Valid with { Capabilities = ["gpu", "GPU"] });
        yield return Case("no metadata", Valid with { Metadata = null });
        yield return Case("32 metadata entries", Valid with { Metadata = Entries(32) });
        yield return Case("a metadata key of 64 characters", Valid with { Metadata = new Dictionary<string, string> { [new string('k', 64)] = "x" } });
        yield return Case("a metadata value of 512 characters", Valid with { Metadata = new Dictionary<string, string> { ["k"] = new string('v', 512) } });
        yield return Case("an empty metadata value", Valid with { Metadata = new Dictionary<string, string> { ["k"] = "" } });
    }

    [TestCaseSource(nameof(InvalidRegistrations))]
    public async Task A_registration_breaking_a_rule_is_refused_on_that_field_before_storage_is_touched(RegisterWorker request, string field)
    {
        var result = await SendAsync(request);

        result.Error.Should().BeOfType<InvalidConfiguration>().Which.Errors.Keys.Should().Equal(field);
        Storage.Calls.Should().Be(0);
    }

    [TestCaseSource(nameof(ValidRegistrations))]
    public async Task A_registration_within_every_limit_is_stored(RegisterWorker request)
    {
        var result = await SendAsync(request);

        result.Value.Worker.Status.Should().Be(WorkerStatus.Pending);
        (await GetAsync(request.Id)).Configuration.Should().BeEquivalentTo(result.Value.Worker.Configuration);
    }

    [Test]
    public async Task Every_broken_rule_is_reported_at_once_under_its_camel_case_field()
    {
        var result = await SendAsync(new RegisterWorker("active", "", 0, ["x", "x", ""], Entries(33)));

        var errors = result.Error.Should().BeOfType<InvalidConfiguration>().Subject.Errors;
        errors.Keys.Should().BeEquivalentTo("id", "region", "capacity", "capabilities", "capabilities[2]", "metadata");
        errors["capacity"].Should().Equal("capacity must be between 1 and 100000.");
        Storage.Calls.Should().Be(0);
    }

    private static string[] Names(string prefix, int count) => Enumerable.Range(1, count).Select(i => $"{prefix}-{i}").ToArray();

    private static Dictionary<string, string> Entries(int count) => Names("key", count).ToDictionary(k => k, k => "value");
}
