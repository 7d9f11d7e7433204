using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>The Application layer wired the way a host wires it, on a fake clock and in-memory storage.</summary>
public sealed class TestApplication : IAsyncDisposable
{
    public static readonly DateTimeOffset StartTime = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _root;
    private readonly AsyncServiceScope _scope;

    public TestApplication(IEnumerable<KeyValuePair<string, string?>> lifecycleSettings)
        : this(lifecycleSettings, new InMemoryWorkerStore(), new FakeTimeProvider(StartTime))
    {
    }

    /// <summary>An instance on storage and a clock another instance used before it: a restart or a deploy.</summary>
    public TestApplication(IEnumerable<KeyValuePair<string, string?>> lifecycleSettings, InMemoryWorkerStore store, FakeTimeProvider clock)
    {
        Store = store;
        Clock = clock;
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(lifecycleSettings.Select(s => KeyValuePair.Create($"{LifecycleOptions.SectionName}:{s.Key}", s.Value)))
            .Build();
        _root = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs))
            .AddWorkerFleetApplication(configuration)
            .AddSingleton<TimeProvider>(Clock)
            .AddSingleton<IWorkerRepository>(Store)
            .AddSingleton<IHeartbeatStore>(Store)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _scope = _root.CreateAsyncScope();
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryWorkerStore Store { get; }

    public LogCapture Logs { get; } = new();

    public IServiceProvider Services => _scope.ServiceProvider;

    public LifecycleOptions Options => Services.GetRequiredService<IOptions<LifecycleOptions>>().Value;

    public Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request) =>
        Services.GetRequiredService<IMediator>().Send(request);

    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _root.DisposeAsync();
    }
}
