using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The standard <c>OTEL_*</c> settings turn on OTLP export: a service process started with
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> posts its traces and metrics to a collector (here a listener on loopback that
/// keeps what it receives), with the use case's span in them and no credential anywhere.</summary>
[NonParallelizable]
public sealed class OtlpExportTests
{
    [Test]
    public async Task A_service_with_an_otlp_endpoint_exports_its_spans_and_metrics_and_no_credential()
    {
        var directory = Directory.CreateTempSubdirectory("workerfleet-otlp-").FullName;
        var port = ServiceProcess.FreePort();
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        using var stopping = new CancellationTokenSource();
        var collecting = CollectAsync(collector, received, stopping.Token);
        try
        {
            using var service = ServiceProcess.Start(directory, new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            });
            await service.WaitUntilHealthyAsync();
            using var registrar = service.CreateClient(ServiceProcess.RegistrationKey);
            var registered = await (await registrar.PostAsJsonAsync("/workers", new { id = "otlp-1", region = "r", capacity = 1 })).Content.ReadFromJsonAsync<JsonElement>();
            var token = registered.GetProperty("token").GetString()!;
            using var worker = service.CreateClient(token);
            (await worker.PostAsync("/workers/otlp-1/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK);

            bool Holds(string path, string text) =>
                received.Any(r => r.Path == path && Encoding.UTF8.GetString(r.Body).Contains(text, StringComparison.Ordinal));
            await ServiceProcess.WaitForAsync(
                () => Holds("/v1/traces", "RecordHeartbeat") && Holds("/v1/traces", "RegisterWorker") && Holds("/v1/metrics", "workerfleet.heartbeats"),
                "the collector to receive the use cases' spans and the heartbeat counter", TimeSpan.FromSeconds(60), service);
            foreach (var secret in new[] { token, ServiceProcess.RegistrationKey })
            {
                received.Should().NotContain(r => Encoding.UTF8.GetString(r.Body).Contains(secret, StringComparison.Ordinal));
            }
        }
        finally
        {
            // Said before stopping: the listener fails its pending wait before it reports itself stopped.
            await stopping.CancelAsync();
            collector.Stop();
            await collecting;
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task CollectAsync(HttpListener collector, ConcurrentQueue<(string Path, byte[] Body)> received, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var context = await collector.GetContextAsync();
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body, CancellationToken.None);
                received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
            catch (Exception exception) when (stopping.IsCancellationRequested && exception is HttpListenerException or ObjectDisposedException)
            {
                // The test stopped the collector, possibly while the service flushed one last export on its way out.
                return;
            }
        }
    }
}
