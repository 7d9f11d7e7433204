using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Adds the credential each request needs unless it carries one: see <see cref="WorkerFleetApi.CreateOperatorClient"/>.</summary>
internal sealed class Credentials : DelegatingHandler
{
    /// <summary>What a heartbeat of a worker this client did not register carries: a token of the issued shape that was
    /// never issued, so the service looks it up and refuses it.</summary>
    public const string UnknownToken = "wft_never-issued-0123456789abcdefghijklmnopqrst";

    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var segments = path.Trim('/').Split('/');
        var isRegistration = request.Method == HttpMethod.Post && path.TrimEnd('/') == "/workers";
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", isRegistration
            ? WorkerFleetApi.RegistrationKey
            : request.Method == HttpMethod.Post && segments is ["workers", var id, "heartbeat"]
                ? _tokens.GetValueOrDefault(Uri.UnescapeDataString(id), UnknownToken)
                : WorkerFleetApi.AdminKey);

        var response = await base.SendAsync(request, cancellationToken);
        if (isRegistration && response.StatusCode == HttpStatusCode.Created)
        {
            // Read from a buffered copy so the test can still read the response itself.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            using var registered = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            _tokens[registered.RootElement.GetProperty("id").GetString()!] = registered.RootElement.GetProperty("token").GetString()!;
        }

        return response;
    }
}
