using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Client.Agent;

namespace WorkerFleet.Client.Tests.Testing;

/// <summary>One agent as a host runs it (startup validation, then the hosted service), against a
/// <see cref="ScriptedHandler"/> and on a fake clock. Every wait the agent starts is announced in order, so a test
/// advances the clock by exactly that wait and never by wall-clock time.</summary>
public sealed class AgentHarness : IAsyncDisposable
{
    public const string WorkerId = "gpu-7";
    public const string RegistrationKey = "registration-key-0123456789abcdef-secret";
    public static readonly DateTimeOffset Start = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;
    private readonly Channel<TimeSpan> _waits = Channel.CreateUnbounded<TimeSpan>();
    private WorkerFleetAgent? _agent;
    private bool _wasWaiting;

    /// <param name="configure">The test's settings, over a worker <see cref="WorkerId"/> in eu-west-1 with capacity 4.</param>
    /// <param name="random">What every random draw of the agent gives: 0.5 makes the first beat's jitter half the
    /// minimum backoff; 1 makes each backoff its cap.</param>
    /// <param name="services">More registrations, made before the agent's own (a token store of the test's).</param>
    public AgentHarness(Action<WorkerFleetAgentOptions> configure, double random = 0.5, Action<IServiceCollection>? services = null)
    {
        Time = new FakeTimeProvider(Start);
        Service = new ScriptedHandler(Time);
        var collection = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(Time)
            .AddKeyedSingleton<Random>(WorkerFleetAgent.RandomKey, new FixedRandom(random));
        services?.Invoke(collection);
        collection
            .AddWorkerFleetAgent(options =>
            {
                options.BaseAddress = new Uri("http://127.0.0.1:5080/");
                options.WorkerId = WorkerId;
                options.Region = "eu-west-1";
                options.Capacity = 4;
                configure(options);
            })
            .ConfigurePrimaryHttpMessageHandler(() => Service)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        _services = collection.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; }

    public ScriptedHandler Service { get; }

    public LogCapture Logs { get; } = new();

    public IWorkerFleetAgentStatus Status => _services.GetRequiredService<IWorkerFleetAgentStatus>();

    public IWorkerTokenStore Store => _services.GetRequiredService<IWorkerTokenStore>();

    /// <summary>Validates the options as a host does at start, then starts the agent.</summary>
    public async Task<AgentHarness> StartAsync()
    {
        _services.GetRequiredService<IStartupValidator>().Validate();
        Status.Changed += OnChanged;
        _agent = _services.GetServices<IHostedService>().OfType<WorkerFleetAgent>().Single();
        await _agent.StartAsync(CancellationToken.None);
        return this;
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _agent!.StopAsync(timeout.Token);
    }

    /// <summary>The next non-zero wait the agent started, in order (a zero wait is no wait: the next request follows).</summary>
    public async Task<TimeSpan> NextWaitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await _waits.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AssertionException($"The agent started no wait within 10 s; it is {Status.State}, last error: {Status.LastError}");
        }
    }

    /// <summary>Lets the agent's next wait pass on the fake clock, and returns how long it was.</summary>
    public async Task<TimeSpan> ElapseNextWaitAsync()
    {
        var wait = await NextWaitAsync();
        Time.Advance(wait);
        return wait;
    }

    public async Task<HealthReportEntry> HealthAsync() =>
        (await _services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["workerfleet-agent"];

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            Status.Changed -= OnChanged;
        }

        await _services.DisposeAsync();
    }

    /// <summary>Runs on the agent's task right after each change, so the clock has not moved since the wait began.</summary>
    private void OnChanged(object? sender, EventArgs e)
    {
        var next = Status.NextAttemptAt;
        if (next is { } until && !_wasWaiting && until > Time.GetUtcNow())
        {
            _waits.Writer.TryWrite(until - Time.GetUtcNow());
        }

        _wasWaiting = next is not null;
    }

    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;

        protected override double Sample() => value;
    }
}
