using MediatR;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.WebApi.Contracts;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.Telemetry;

/// <summary>OpenTelemetry for the service: its own meter, ASP.NET Core's, the runtime's and Npgsql's, scraped at
/// <c>GET /metrics</c> (reader or admin key); traces of requests, use cases and database calls. OTLP export of both
/// follows the standard <c>OTEL_*</c> settings and is on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; without an
/// exporter no trace is recorded at all.</summary>
internal static class TelemetryRegistration
{
    public const string ScrapePath = "/metrics";

    private const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddWorkerFleetTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!MetricsEnabled(configuration))
        {
            return services;
        }

        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("workerfleet"))
            .WithMetrics(metrics => metrics
                .AddMeter(FleetMetrics.MeterName)
                // ASP.NET Core's request duration and active requests; not its routing, rate-limiting, Kestrel and
                // authentication meters, which each record on every request and together cost the heartbeat path
                // several percent of its throughput (docs/performance-log.md).
                .AddMeter("Microsoft.AspNetCore.Hosting")
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                // Each scrape reads the instruments afresh: a cached answer would show a scrape that follows a change too little.
                .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        if (otlp)
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(FleetTracing.SourceName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => context.Request.Path != ScrapePath)
                    .AddNpgsql())
                .UseOtlpExporter();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (MetricsEnabled(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            app.MapPrometheusScrapingEndpoint(ScrapePath).RequireAuthorization(Policies.Read);
        }

        app.MapGet($"{ScrapePath}/history", async (IMediator mediator, CancellationToken cancellationToken) =>
                (await mediator.Send(new GetFleetHistory(), cancellationToken)).ToHttp(points => TypedResults.Ok(new FleetHistoryResponse(points))))
            .RequireAuthorization(Policies.Read)
            .WithTags("Metrics")
            .WithSummary("The last hour of fleet readings on this instance")
            .WithDescription("Oldest first, one per WorkerFleet:Metrics:FleetReadingInterval: workers by status, and the heartbeats this instance recorded per second since the reading before (null for the first). Empty while metrics are off. The dashboard draws its Last hour charts from it.")
            .Produces<FleetHistoryResponse>();
        return app;
    }

    public static IApplicationBuilder UseHeartbeatOutcomes(this IApplicationBuilder app) => app.UseMiddleware<HeartbeatOutcomeMeter>();

    private static bool MetricsEnabled(IConfiguration configuration) =>
        configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>()?.Enabled ?? true;
}
