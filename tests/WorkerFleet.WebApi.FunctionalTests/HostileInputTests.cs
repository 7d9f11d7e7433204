using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Requests crafted to break the service. Each must get the 4xx problem response the README promises for it
/// (a 400 for any malformed request; 401, 413 or 415 where the credential, the size or the media type is at fault), never
/// a 500, and leave the fleet exactly as it was.</summary>
public class HostileInputTests() : ApiTestBase()
{
    private const string Admin = WorkerFleetApi.AdminKey;
    private const string Reader = WorkerFleetApi.ReaderKey;
    private const string Registration = WorkerFleetApi.RegistrationKey;

    private static readonly string HugeId = new('a', 10_000);
    private static readonly string DeepJson = new string('[', 200) + new string(']', 200);

    private static readonly HostileRequest[] Corpus =
    [
        // Ids
        new("huge id in the path", "GET", $"/workers/{HugeId}", Reader),
        new("unicode id", "GET", "/workers/w%C3%B6rker", Reader),
        new("right-to-left override in the id", "GET", "/workers/a%E2%80%AEb", Reader),
        new("control character in the id", "GET", "/workers/a%01b", Reader),
        new("SQL in the id", "GET", "/workers/a'%20OR%20'1'='1", Reader),
        new("SQL in a status change id", "PUT", "/workers/x';DROP%20TABLE%20workers;--/status", Admin, """{"status":"Failed"}"""),
        new("path traversal id", "DELETE", "/workers/..%2F..%2Fetc%2Fpasswd", Admin),
        new("reserved id", "POST", "/workers", Registration, """{"id":"active","region":"r","capacity":1}"""),
        new("huge id in the body", "POST", "/workers", Registration, $$"""{"id":"{{HugeId[..5000]}}","region":"r","capacity":1}"""),
        new("SQL in the body id", "POST", "/workers", Registration, """{"id":"x'); DELETE FROM workers; --","region":"r","capacity":1}"""),
        new("control characters in the region", "POST", "/workers", Registration, """{"id":"w1","region":"us\u0000east","capacity":1}"""),
        // JSON shape
        new("deeply nested JSON", "POST", "/workers", Registration, DeepJson),
        new("deeply nested metadata", "POST", "/workers", Registration,
            """{"id":"w1","region":"r","capacity":1,"metadata":""" + new string('{', 100) + new string('}', 100) + "}"),
        new("duplicated keys", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":1,"capacity":2}"""),
        new("duplicated keys differing in case", "POST", "/workers", Registration, """{"id":"w1","ID":"w2","region":"r","capacity":1}"""),
        new("unknown field", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":1,"admin":true}"""),
        new("array instead of object", "POST", "/workers", Registration, """[{"id":"w1","region":"r","capacity":1}]"""),
        new("JSON null body", "POST", "/workers", Registration, "null"),
        new("empty body", "POST", "/workers", Registration, ""),
        new("truncated JSON", "POST", "/workers", Registration, """{"id":"w1","region":"""),
        new("invalid UTF-8", "POST", "/workers", Registration, "{\"id\":\"w1\",\"region\":\"\xff\xfe\",\"capacity\":1}"),
        new("wrong content type", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":1}""", "text/plain", Status: 415),
        new("XML content type", "POST", "/workers", Registration, "<worker id=\"w1\"/>", "application/xml", Status: 415),
        new("status as a number", "PUT", "/workers/alpha/status", Admin, """{"status":3}"""),
        new("status as a numeric string", "PUT", "/workers/alpha/status", Admin, """{"status":"3"}"""),
        // Text no database stores as sent: NUL (PostgreSQL refuses it) and unpaired surrogate halves (UTF-8 cannot hold them)
        new("NUL in a metadata value", "POST", "/workers", Registration, """{"id":"nul-1","region":"r","capacity":1,"metadata":{"k":"\u0000"}}"""),
        new("NUL in a metadata key", "POST", "/workers", Registration, """{"id":"nul-1","region":"r","capacity":1,"metadata":{"a\u0000b":"v"}}"""),
        new("NUL in a capability", "POST", "/workers", Registration, """{"id":"nul-1","region":"r","capacity":1,"capabilities":["gpu\u0000"]}"""),
        new("lone surrogate in a capability", "POST", "/workers", Registration, """{"id":"s-1","region":"r","capacity":1,"capabilities":["\ud800"]}"""),
        new("lone low surrogate in a region", "POST", "/workers", Registration, """{"id":"s-1","region":"a\udc00","capacity":1}"""),
        new("control character in a cordon reason", "PUT", "/workers/alpha/schedulable", Admin, """{"schedulable":false,"reason":"a\u0007"}"""),
        // Numbers
        new("capacity as a numeric string", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":"1"}"""),
        new("schedulable as a string", "PUT", "/workers/alpha/schedulable", Admin, """{"schedulable":"false"}"""),
        new("capacity beyond int", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":2147483648}"""),
        new("capacity 1e400", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":1e400}"""),
        new("negative capacity", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":-1}"""),
        new("capacity as NaN", "POST", "/workers", Registration, """{"id":"w1","region":"r","capacity":NaN}"""),
        new("limit beyond int", "GET", "/workers?limit=99999999999999999999", Reader),
        new("negative limit", "GET", "/workers/alpha/heartbeats?limit=-5", Reader),
        // Cursors and filters
        new("forged cursor", "GET", "/workers?cursor=%27%3B--", Reader),
        new("cursor of an invalid id", "GET", "/workers?cursor=LWJhZA", Reader),
        new("oversized cursor", "GET", $"/workers?cursor={new string('A', 5000)}", Reader),
        new("SQL in the status filter", "GET", "/workers?status=Active'%20OR%201=1--", Reader),
        new("SQL in the id prefix", "GET", "/workers?idPrefix=a'%20OR%20'1'='1", Reader),
        new("LIKE wildcard as the id prefix", "GET", "/workers?idPrefix=%25", Reader),
        new("empty id prefix", "GET", "/workers?status=Active&idPrefix=", Reader),
        new("oversized id prefix", "GET", $"/workers?status=Active&idPrefix={new string('a', 5000)}", Reader),
        // Authorization headers
        new("Bearer without a credential", "GET", "/workers", "", rawAuthorization: "Bearer", Status: 401),
        new("Basic scheme", "GET", "/workers", "", rawAuthorization: "Basic YWRtaW46YWRtaW4=", Status: 401),
        new("oversized bearer", "GET", "/workers", new string('k', 20_000), Status: 401),
        new("oversized worker token", "POST", "/workers/alpha/heartbeat", "wft_" + new string('x', 5000), Status: 401),
        new("token-shaped garbage", "POST", "/workers/alpha/heartbeat", "wft_' OR '1'='1", Status: 401),
        new("admin key missing its last character", "PUT", "/workers/alpha/status", Admin[..^1], """{"status":"Failed"}""", Status: 401),
        new("admin key in upper case", "PUT", "/workers/alpha/status", Admin.ToUpperInvariant(), """{"status":"Failed"}""", Status: 401),
        new("admin key with a character appended", "PUT", "/workers/alpha/status", Admin + "x", """{"status":"Failed"}""", Status: 401),
        new("two Authorization headers", "PUT", "/workers/alpha/status", "", """{"status":"Failed"}""", rawAuthorization: $"Bearer {Admin}", secondAuthorization: $"Bearer {Admin}", Status: 401),
        new("key in the query string", "GET", $"/workers?access_token={Admin}", "", Status: 401),
        // Size
        new("body over 64 KiB", "POST", "/workers", Registration, $$"""{"id":"w1","region":"{{new string('r', 70_000)}}","capacity":1}""", Status: 413),
    ];

    private static IEnumerable<TestCaseData> Cases() => Corpus.Select(c => new TestCaseData(c).SetName($"Hostile: {c.Name}"));

    [TestCaseSource(nameof(Cases))]
    public async Task A_hostile_request_gets_its_4xx_problem_and_changes_nothing(HostileRequest hostile)
    {
        await Client.RegisterAsync("alpha");
        await Client.HeartbeatAsync("alpha");
        var before = await FleetSnapshot.TakeAsync(Api);
        using var raw = Api.CreateClient();

        using var response = await raw.SendAsync(hostile.ToRequest());

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(hostile.Status, body);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32().Should().Be(hostile.Status);
        (await FleetSnapshot.TakeAsync(Api)).Should().Be(before);
    }

    [Test]
    public async Task A_worker_with_text_beyond_the_basic_plane_reads_back_exactly_as_sent()
    {
        const string Capability = "gpu-\U0001F680";

        var response = await Client.PostAsync("/workers", new StringContent(
            $$$"""{"id":"w1","region":"r","capacity":1,"capabilities":["{{{Capability}}}"],"metadata":{"note":"\ud83d\ude80"}}""", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var worker = await (await Client.GetAsync("/workers/w1")).ReadJsonAsync();
        worker.GetProperty("capabilities")[0].GetString().Should().Be(Capability);
        worker.GetProperty("metadata").GetProperty("note").GetString().Should().Be("\U0001F680");
    }

    [TestCase("POST")]
    [TestCase("DELETE")]
    [TestCase("FOO")]
    public async Task Health_answers_only_GET_and_HEAD(string method)
    {
        using var raw = Api.CreateClient();
        var withKey = new HttpRequestMessage(new HttpMethod(method), "/health") { Headers = { Authorization = new("Bearer", Reader) } };

        await (await raw.SendAsync(withKey)).ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        // Like every route but GET and HEAD /health, another method needs a credential before it is told so.
        (await raw.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/health"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await raw.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/health/live"))).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_body_without_a_content_type_is_the_same_415_as_a_body_of_another_type()
    {
        var untyped = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"id":"w1","region":"r","capacity":1}"""));

        var response = await Client.PostAsync("/workers", untyped);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        (await Client.GetAsync("/workers/w1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task SQL_in_a_free_text_field_is_stored_as_text()
    {
        const string Region = "eu'); DROP TABLE workers; --";

        var response = await Client.PostAsync("/workers", new StringContent(
            $$"""{"id":"w1","region":"{{Region}}","capacity":1}""", Encoding.UTF8, "application/json"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await (await Client.GetAsync("/workers/w1")).ReadJsonAsync()).GetProperty("region").GetString().Should().Be(Region);
    }

    public sealed record HostileRequest(
        string Name, string Method, string Path, string Credential, string? Body = null, string ContentType = "application/json",
        string? rawAuthorization = null, string? secondAuthorization = null, int Status = 400)
    {
        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Path);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Encoding.Latin1.GetBytes(Body));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType) { CharSet = "utf-8" };
            }

            if (rawAuthorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", rawAuthorization);
            }
            else if (Credential.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Credential}");
            }

            if (secondAuthorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", secondAuthorization);
            }

            return request;
        }

        public override string ToString() => Name;
    }
}
