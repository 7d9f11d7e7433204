using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;

namespace WorkerFleet.Application.UnitTests.Telemetry;

/// <summary>The use cases' spans, read as an OpenTelemetry pipeline reads them (the in-memory exporter).</summary>
public class FleetTracingTests : ApplicationTest
{
    private readonly List<Activity> _exported = [];
    private TracerProvider _tracing = null!;

    [SetUp]
    public void ListenToTheSource() =>
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource(FleetTracing.SourceName).AddInMemoryExporter(_exported).Build()!;

    [TearDown]
    public void StopListening() => _tracing.Dispose();

    [Test]
    public async Task Each_use_case_is_a_span_named_after_its_request_and_a_failed_one_is_an_error()
    {
        await RegisterAsync("traced");
        await HeartbeatAsync("traced");
        (await SendAsync(new GetWorker("missing"))).Error.Should().NotBeNull();
        _tracing.ForceFlush();

        _exported.Select(a => a.DisplayName).Should().Equal(nameof(RegisterWorker), nameof(RecordHeartbeat), nameof(GetWorker));
        _exported.Take(2).Should().OnlyContain(a => a.Status == ActivityStatusCode.Unset);
        _exported[2].Status.Should().Be(ActivityStatusCode.Error);
        _exported[2].StatusDescription.Should().Be("WorkerNotFound");
    }

    [Test]
    public async Task No_span_carries_the_token_it_was_given()
    {
        await RegisterAsync("secretive");
        await HeartbeatAsync("secretive");
        _tracing.ForceFlush();

        var token = TokenOf("secretive");
        _exported.Should().NotBeEmpty();
        _exported.SelectMany(a => a.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(a.DisplayName).Append(a.StatusDescription ?? ""))
            .Should().NotContain(text => text.Contains(token, StringComparison.Ordinal));
    }
}
