using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkerFleet.Client;

// The agent registers this process as a worker (or reuses the token in TokenPath), heartbeats at the service's pace
// and reports its health; the settings come from WorkerFleet:Agent (appsettings, WorkerFleet__Agent__… variables).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddWorkerFleetAgent(agent => builder.Configuration.GetSection("WorkerFleet:Agent").Bind(agent));
await builder.Build().RunAsync();
