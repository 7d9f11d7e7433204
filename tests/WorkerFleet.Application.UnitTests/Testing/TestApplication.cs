using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Infrastructure;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>The Application layer wired the way a host wires it, on a fake clock and the embedded SQLite storage the
/// service runs on by default, each request in a DI scope of its own.</summary>
public sealed class TestApplication : IAsyncDisposable
{
    public static readonly DateTimeOffset StartTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _root;
    private TestDatabase? _ownedDatabase;

    private TestApplication(
        IEnumerable<KeyValuePair<string, string?>> lifecycleSettings, TestDatabase database, FakeTimeProvider clock, StorageFaults faults)
    {
        Database = database;
        Clock = clock;
        Faults = faults;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(lifecycleSettings.Select(s => KeyValuePair.Create($"{LifecycleOptions.SectionName}:{s.Key}", s.Value)))
            .AddInMemoryCollection(database.Settings)
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddFilter("Microsoft", LogLevel.Warning).AddProvider(Logs))
            .AddWorkerFleetApplication(configuration)
            .AddWorkerFleetInfrastructure(configuration)
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<ICaller>(Caller);
        _root = faults.Decorate(services).BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        faults.Attach(_root);
    }

    public FakeTimeProvider Clock { get; }

    public TestCaller Caller { get; } = new();

    public TestDatabase Database { get; }

    public StorageFaults Faults { get; }

    public LogCapture Logs { get; } = new();

    public LifecycleOptions Options => _root.GetRequiredService<IOptions<LifecycleOptions>>().Value;

    /// <summary>A new instance on a database of its own, which it deletes when it is disposed.</summary>
    public static async Task<TestApplication> StartAsync(IEnumerable<KeyValuePair<string, string?>> lifecycleSettings)
    {
        var database = await TestDatabase.CreateAsync();
        return new TestApplication(lifecycleSettings, database, new FakeTimeProvider(StartTime), new StorageFaults()) { _ownedDatabase = database };
    }

    /// <summary>Another instance on the storage and clock of <paramref name="stopped"/>, as a restart or a deploy
    /// starts it; it takes the database over.</summary>
    public static TestApplication RestartOf(TestApplication stopped, IEnumerable<KeyValuePair<string, string?>> lifecycleSettings)
    {
        var next = new TestApplication(lifecycleSettings, stopped.Database, stopped.Clock, stopped.Faults) { _ownedDatabase = stopped._ownedDatabase };
        stopped._ownedDatabase = null;
        return next;
    }

    /// <summary>A second instance running beside <paramref name="running"/>, on its storage and clock, as a cluster
    /// runs them: it shares nothing in memory with it.</summary>
    public static TestApplication BesideOf(TestApplication running, IEnumerable<KeyValuePair<string, string?>> lifecycleSettings) =>
        new(lifecycleSettings, running.Database, running.Clock, new StorageFaults());

    /// <summary>A DI scope, for a service used across several calls.</summary>
    public AsyncServiceScope CreateScope() => _root.CreateAsyncScope();

    public async Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request)
    {
        await using var scope = _root.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async ValueTask DisposeAsync()
    {
        await _root.DisposeAsync();
        _ownedDatabase?.Dispose();
    }
}
