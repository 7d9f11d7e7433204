using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Threading.Channels;

namespace WorkerFleet.Client.Tests.Testing;

/// <summary>A request as the service would have received it.</summary>
public sealed record RecordedRequest(HttpMethod Method, string PathAndQuery, string? Bearer, string? Body, DateTimeOffset At);

/// <summary>Stands in for the service: answers each request with the next scripted answer, in order, and records the
/// request. With the script used up it never answers (as a hung service would), until the request is cancelled.</summary>
public sealed class ScriptedHandler(TimeProvider time) : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public ScriptedHandler Answer(params HttpResponseMessage[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(() => response);
        }

        return this;
    }

    public ScriptedHandler Throw(Exception exception)
    {
        _script.Enqueue(() => throw exception);
        return this;
    }

    /// <summary>The next request the handler receives, in order; fails the test after ten seconds without one.</summary>
    public async Task<RecordedRequest> NextRequestAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await _arrivals.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"No request arrived within 10 s; requests so far: {string.Join(", ", Requests.Select(r => $"{r.Method} {r.PathAndQuery}"))}");
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!.PathAndQuery, BearerOf(request.Headers.Authorization), body, time.GetUtcNow());
        _requests.Enqueue(recorded);
        _arrivals.Writer.TryWrite(recorded);
        if (_script.TryDequeue(out var answer))
        {
            return answer();
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("Unreachable: the delay only ends by cancellation.");
    }

    private static string? BearerOf(AuthenticationHeaderValue? header) => header is { Scheme: "Bearer" } ? header.Parameter : null;
}
