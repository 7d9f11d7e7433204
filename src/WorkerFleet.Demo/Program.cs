using System.Globalization;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Application;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Demo;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure;

const int StepCount = 9;
var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
var directory = Directory.CreateTempSubdirectory("workerfleet-demo-");
var databasePath = Path.Combine(directory.FullName, "workerfleet.db");
var configuration = new ConfigurationBuilder()
    .AddInMemoryCollection(new Dictionary<string, string?> { ["WorkerFleet:Storage:SqlitePath"] = databasePath })
    .Build();
var provider = new ServiceCollection()
    .AddLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Warning))
    .AddWorkerFleetApplication(configuration)
    .AddWorkerFleetInfrastructure(configuration)
    .AddSingleton<TimeProvider>(clock)
    .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
try
{
    // No generic host runs here, so neither its start-up options check nor its schema migration happens by itself.
    provider.GetService<IStartupValidator>()?.Validate();
    await provider.MigrateWorkerFleetStorageAsync();
    var timeout = provider.GetRequiredService<IOptions<LifecycleOptions>>().Value.HeartbeatTimeout;

    Console.WriteLine("WorkerFleet demo: the reference walk-through, sent as MediatR requests to the Application layer");
    Console.WriteLine($"  database           {databasePath}");
    Console.WriteLine($"  fake clock starts  {clock.GetUtcNow():u}");
    Console.WriteLine($"  heartbeat timeout  {timeout}");

    RegisterWorker[] registrations =
    [
        new("worker-1", "us-east-1", 10, ["compute", "storage"], new Dictionary<string, string> { ["datacenter"] = "dc-1" }),
        new("worker-2", "us-west-2", 8, ["compute"], new Dictionary<string, string> { ["datacenter"] = "dc-2" }),
        new("worker-3", "eu-west-1", 4, ["storage"], new Dictionary<string, string> { ["datacenter"] = "dc-3" }),
    ];
    string[] heartbeating = ["worker-1", "worker-2"];

    // Each worker keeps the token its registration issued; a heartbeat proves who sends it.
    var tokens = new Dictionary<string, string>();

    await StepAsync(1, "Register three workers", async mediator =>
    {
        foreach (var registration in registrations)
        {
            var registered = await SendAsync(mediator, registration);
            tokens[registration.Id] = registered.Token;
            Show(registered.Worker);
        }
    });

    clock.Advance(TimeSpan.FromSeconds(5));
    await StepAsync(2, $"Heartbeat {string.Join(" and ", heartbeating)}", async mediator =>
    {
        foreach (var id in heartbeating)
        {
            var receipt = await SendAsync(mediator, new RecordHeartbeat(id, tokens[id]));
            Console.WriteLine($"    {receipt.WorkerId,-9} heartbeat at {receipt.ReceivedAt:u}, status still {receipt.Status}");
        }
    });

    await StepAsync(3, "Activate pending workers with a recent heartbeat", async mediator =>
    {
        Console.WriteLine($"    {"activated",-15} {Ids(await SendAsync(mediator, new ActivatePendingWorkers()))}");
        var pending = await SendAsync(mediator, new ListWorkers { Status = nameof(WorkerStatus.Pending) });
        Console.WriteLine($"    {"still Pending",-15} {Ids(pending.Items.Select(w => w.Id))}");
    });

    await StepAsync(4, "List active workers", async mediator =>
    {
        foreach (var worker in (await SendAsync(mediator, new ListWorkers { Status = nameof(WorkerStatus.Active) })).Items)
        {
            Show(worker);
        }
    });

    await StepAsync(5, "Workers with heartbeat metadata", async mediator =>
    {
        foreach (var entry in (await SendAsync(mediator, new GetWorkersWithMetadata())).Items)
        {
            Console.WriteLine($"    {entry.Worker.Id,-9} {entry.Worker.Status,-8} last heartbeat {At(entry.LastHeartbeatAt),-20}  heartbeats {entry.HeartbeatCount}");
        }
    });

    var silence = timeout + TimeSpan.FromSeconds(1);
    clock.Advance(silence);
    await StepAsync(6, $"No heartbeats for {silence}: mark stale workers Offline", async mediator =>
        Console.WriteLine($"    {"marked Offline",-15} {Ids(await SendAsync(mediator, new MarkStaleWorkersOffline()))}"));

    await StepAsync(7, $"{heartbeating[0]} heartbeats again: reactivate offline workers", async mediator =>
    {
        var receipt = await SendAsync(mediator, new RecordHeartbeat(heartbeating[0], tokens[heartbeating[0]]));
        Console.WriteLine($"    {receipt.WorkerId,-9} heartbeat at {receipt.ReceivedAt:u}, status still {receipt.Status}");
        Console.WriteLine($"    {"reactivated",-15} {Ids(await SendAsync(mediator, new ReactivateOfflineWorkers()))}");
    });

    await StepAsync(8, "Final state of every worker", async mediator =>
    {
        foreach (var worker in (await SendAsync(mediator, new ListWorkers())).Items)
        {
            Console.WriteLine($"    {worker.Id,-9} {worker.Status,-8} last heartbeat {At(worker.LastHeartbeatAt)}");
        }
    });

    var leaving = registrations[^1].Id;
    await StepAsync(9, $"Unregister {leaving}", async mediator =>
    {
        Console.WriteLine($"    {"unregistered",-15} {await SendAsync(mediator, new UnregisterWorker(leaving))}");
        foreach (var worker in (await SendAsync(mediator, new ListWorkers())).Items)
        {
            Console.WriteLine($"    {"remaining",-15} {worker.Id,-9} {worker.Status}");
        }
    });

    Console.WriteLine();
    Console.WriteLine($"Done: {StepCount} steps, fake clock now {clock.GetUtcNow():u}.");
    return 0;
}
catch (StepFailedException failure)
{
    Console.Error.WriteLine();
    Console.Error.WriteLine(failure.Message);
    return 1;
}
finally
{
    await provider.DisposeAsync();
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

// Each step gets its own DI scope, as one request to a host would, so no DbContext outlives its step.
async Task StepAsync(int number, string title, Func<IMediator, Task> body)
{
    Console.WriteLine();
    Console.WriteLine($"[{number}/{StepCount}] {title}  (clock {clock.GetUtcNow():HH:mm:ss})");
    await using var scope = provider.CreateAsyncScope();
    await body(scope.ServiceProvider.GetRequiredService<IMediator>());
}

static async Task<T> SendAsync<T>(IMediator mediator, IRequest<Result<T>> request)
{
    var result = await mediator.Send(request);
    return result.Error is { } error ? throw new StepFailedException(request.GetType().Name, error) : result.Value;
}

static void Show(Worker worker)
{
    var configuration = worker.Configuration;
    var metadata = string.Join(", ", configuration.Metadata.Select(entry => $"{entry.Key}={entry.Value}"));
    Console.WriteLine($"    {worker.Id,-9} {worker.Status,-8} {configuration.Region,-10} capacity {configuration.Capacity,-3} " +
        $"{$"[{string.Join(", ", configuration.Capabilities)}]",-19} {{{metadata}}}");
}

static string Ids(IEnumerable<WorkerId> ids) => ids.Any() ? string.Join(", ", ids) : "(none)";

static string At(DateTimeOffset? at) => at is { } value ? value.ToString("u", CultureInfo.InvariantCulture) : "never";
