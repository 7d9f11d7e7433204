using System.Text.Json;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The JSON of SQLite's capabilities column, read and written as the registration writer and <c>json_each</c>
/// see it.</summary>
public class SqliteCapabilitiesJsonTests
{
    private static readonly SqliteCapabilitiesJson Json = SqliteCapabilitiesJson.Instance;

    [Test]
    public void It_reads_back_what_the_registration_writer_stores_in_order()
    {
        var stored = WorkerEntity.ToJson(new List<string> { "gpu", "compute", "ssd" });

        Json.FromJsonString(stored).Should().BeEquivalentTo(new[] { "gpu", "compute", "ssd" }, o => o.WithStrictOrdering());
        Json.FromJsonString("[]").Should().BeEquivalentTo(Array.Empty<string>());
    }

    [Test]
    public void It_writes_the_json_the_registration_writer_stores()
    {
        List<string> capabilities = ["gpu", "compute"];

        Json.ToJsonString(capabilities).Should().Be(WorkerEntity.ToJson(capabilities));
    }

    [TestCase("{}", "*are a JSON array, not StartObject*")]
    [TestCase("\"gpu\"", "*are a JSON array, not String*")]
    [TestCase("[\"gpu\",null]", "*hold no null*")]
    public void Anything_but_an_array_of_strings_is_refused_with_what_was_found(string stored, string message)
    {
        var reading = () => Json.FromJsonString(stored);

        reading.Should().Throw<JsonException>().WithMessage(message);
    }
}
