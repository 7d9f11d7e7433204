using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Who did what: every key has a name, and that name is the caller in <c>GET /me</c>, in the audit line of
/// every change, in the journal and in the Quartz API's own audit lines; never the secret.</summary>
public class AccountabilityTests
{
    private const string OpsKey = "ops-admin-key-0123456789abcdef0123456789";

    private static readonly Dictionary<string, string?> NamedOpsKey = new()
    {
        // The first admin key stays a bare string: one list may mix both forms.
        ["WorkerFleet:Security:AdminKeys:1:Key"] = OpsKey,
        ["WorkerFleet:Security:AdminKeys:1:Name"] = "ops",
    };

    [Test]
    public async Task A_named_key_is_the_caller_in_me_in_the_audit_line_in_the_journal_and_to_the_quartz_api()
    {
        using var api = new WorkerFleetApi(NamedOpsKey);
        using var client = api.CreateOperatorClient();
        (await client.RegisterAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.Created);

        var me = await (await Send(client, HttpMethod.Get, "/me", OpsKey)).ReadJsonAsync();
        (await Send(client, HttpMethod.Put, "/workers/alpha/status", OpsKey, new { status = "Failed" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(client, HttpMethod.Post, "/quartz-api/schedulers/QuartzScheduler/jobs/lifecycle/activate-pending-workers/trigger", OpsKey))
            .EnsureSuccessStatusCode();

        me.GetProperty("name").GetString().Should().Be("admin key ops");
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("admin");
        var events = await (await client.GetAsync("/workers/alpha/events")).ReadJsonAsync();
        events.GetProperty("items")[0].GetProperty("actor").GetString().Should().Be("admin key ops");
        events.GetProperty("items")[0].GetProperty("reason").GetString().Should().Be("Set to Failed by admin key ops.");
        AuditLines(api).Should().Contain("admin key ops from unknown: PUT /workers/alpha/status answered 200");
        api.Logs.Lines.Should().Contain(line => line.Contains("Api user admin key ops performed TriggerJob", StringComparison.Ordinal));
        api.Logs.Lines.Should().NotContain(line => line.Contains(OpsKey, StringComparison.Ordinal) || line.Contains(WorkerFleetApi.AdminKey, StringComparison.Ordinal));
    }

    [Test]
    public async Task Every_request_that_may_change_something_is_audited_with_its_caller_and_answer_and_heartbeats_are_counted_instead()
    {
        using var api = new WorkerFleetApi(new Dictionary<string, string?> { ["Logging:LogLevel:WorkerFleet.Audit"] = "Debug" });
        using var client = api.CreateOperatorClient();
        var registered = await (await client.RegisterAsync("alpha")).ReadJsonAsync();
        var token = registered.GetProperty("token").GetString()!;

        (await client.HeartbeatAsync("alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await Send(client, HttpMethod.Put, "/workers/alpha/status", WorkerFleetApi.ReaderKey, new { status = "Failed" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await Send(client, HttpMethod.Put, "/workers/alpha/status", "not-a-key-of-this-service-0123456789abcdef", new { status = "Failed" }))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await Send(client, HttpMethod.Put, "/workers/alpha/status", WorkerFleetApi.AdminKey, new { status = "Offline" }))
            .StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await Send(client, HttpMethod.Delete, "/workers/alpha", token)).StatusCode.Should().Be(HttpStatusCode.NoContent);

        AuditLines(api).Should().Equal(
            $"{WorkerFleetApi.RegistrationName} from unknown: POST /workers answered 201",
            $"{WorkerFleetApi.ReaderName} from unknown: PUT /workers/alpha/status answered 403",
            $"{WorkerFleetApi.AdminName} from unknown: PUT /workers/alpha/status answered 400",
            "worker alpha from unknown: DELETE /workers/alpha answered 204");
        AuditLines(api, "Debug").Should().Equal("unauthenticated caller from unknown: PUT /workers/alpha/status answered 401");
        api.Logs.Lines.Should().NotContain(line => line.Contains(token, StringComparison.Ordinal)
            || line.Contains(WorkerFleetApi.RegistrationKey, StringComparison.Ordinal) || line.Contains(WorkerFleetApi.ReaderKey, StringComparison.Ordinal));
    }

    /// <summary>The messages of the audit category at <paramref name="level"/>.</summary>
    private static List<string> AuditLines(WorkerFleetApi api, string level = "Information")
    {
        var prefix = $"{level} WorkerFleet.Audit: ";
        return api.Logs.Lines.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..].TrimEnd()).ToList();
    }

    [Test]
    public async Task A_key_is_rotated_by_listing_the_new_one_beside_it_then_the_new_one_alone()
    {
        using (var both = new WorkerFleetApi(NamedOpsKey))
        using (var client = both.CreateClient())
        {
            (await Send(client, HttpMethod.Get, "/me", WorkerFleetApi.AdminKey)).StatusCode.Should().Be(HttpStatusCode.OK);
            (await Send(client, HttpMethod.Get, "/me", OpsKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var rotated = new WorkerFleetApi(new Dictionary<string, string?> { ["WorkerFleet:Security:AdminKeys:0"] = OpsKey });
        using var after = rotated.CreateClient();
        (await Send(after, HttpMethod.Get, "/me", OpsKey)).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await Send(after, HttpMethod.Get, "/me", WorkerFleetApi.AdminKey)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string credential, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential);
        return client.SendAsync(request);
    }
}
