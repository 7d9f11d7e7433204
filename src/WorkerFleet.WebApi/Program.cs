using WorkerFleet.Application;
using WorkerFleet.Infrastructure;
using WorkerFleet.WebApi;
using WorkerFleet.WebApi.Endpoints;
using WorkerFleet.WebApi.OpenApi;
using WorkerFleet.WebApi.Problems;
using WorkerFleet.WebApi.Security;
using WorkerFleet.WebApi.Telemetry;

var builder = WebApplication.CreateBuilder(args);
// Where to listen follows ASP.NET Core's own conventions (--urls, ASPNETCORE_URLS, ASPNETCORE_HTTP_PORTS, Kestrel
// endpoints in configuration); only when none of them says anything does the service take its documented default.
if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]) && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"])
    && string.IsNullOrWhiteSpace(builder.Configuration["https_ports"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
{
    builder.WebHost.UseUrls("http://localhost:8080");
}

builder.Services
    .AddWorkerFleetApplication(builder.Configuration)
    .AddWorkerFleetInfrastructure(builder.Configuration)
    .AddWorkerFleetScheduling(builder.Configuration)
    .AddWorkerFleetWebApi(builder.Configuration);

var app = builder.Build();
app.UseAuditLog();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboard();
app.UseHeartbeatOutcomes();
app.UseMiddleware<RequestBodyLimit>();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

// The API reference holds no fleet data, but outside Development it stays off unless asked for.
if (app.Configuration.GetValue("WorkerFleet:ApiReference", app.Environment.IsDevelopment()))
{
    app.MapApiReference();
}

app.MapWorkers();
app.MapScheduler();
app.MapAlarms();
app.MapEvents();
app.MapHealth();
app.MapMetrics();
app.MapCaller();

await app.RunAsync();

/// <summary>The host; public so functional tests can start it with <c>WebApplicationFactory</c>.</summary>
public partial class Program;
