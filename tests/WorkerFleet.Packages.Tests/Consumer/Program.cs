using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Infrastructure;

// Storage only: this host sends the use cases itself and runs no background jobs (no AddWorkerFleetScheduling).
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["WorkerFleet:Storage:SqlitePath"] = args[0] })
    .Build();
await using var services = new ServiceCollection()
    .AddLogging()
    .AddWorkerFleetApplication(configuration)
    .AddWorkerFleetInfrastructure(configuration)
    .BuildServiceProvider();
await services.MigrateWorkerFleetStorageAsync();

await using var scope = services.CreateAsyncScope();
var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
var registered = await mediator.Send(new RegisterWorker("agent-1", "eu-west-1", 4, ["compute"]));
var heartbeat = await mediator.Send(new RecordHeartbeat("agent-1", registered.Value.Token));
var activated = await mediator.Send(new ActivatePendingWorkers());
var worker = await mediator.Send(new GetWorker("agent-1"));

Console.WriteLine($"registered: {registered.Value.Worker.Id} ({registered.Value.Worker.Status})");
Console.WriteLine($"heartbeat: {heartbeat.Value.ReceivedAt:O}");
Console.WriteLine($"activated: {string.Join(", ", activated.Value)}");
Console.WriteLine($"status: {worker.Value.Status}");
