using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

internal static class ApiClientExtensions
{
    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string id, string region = "us-east-1", int capacity = 10) =>
        client.PostAsJsonAsync("/workers", new
        {
            id,
            region,
            capacity,
            capabilities = new[] { "compute" },
            metadata = new Dictionary<string, string> { ["datacenter"] = "dc-1" },
        });

    /// <summary>Registers the worker, asserts it was created, and returns its token.</summary>
    public static async Task<string> RegisterForTokenAsync(this HttpClient client, string id)
    {
        var response = await client.RegisterAsync(id);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.ReadJsonAsync()).GetProperty("token").GetString()!;
    }

    public static Task<HttpResponseMessage> HeartbeatAsync(this HttpClient client, string id) =>
        client.PostAsync($"/workers/{id}/heartbeat", content: null);

    /// <summary>Asserts an RFC 7807 answer with the status and stable type, and returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string type)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("type").GetString().Should().Be("urn:workerfleet:problem:" + type);
        body.GetProperty("status").GetInt32().Should().Be((int)status);
        return body;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
