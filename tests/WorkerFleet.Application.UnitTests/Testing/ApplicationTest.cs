using System.Globalization;
using MediatR;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>Starts a fresh <see cref="TestApplication"/> for every test and drives workers through the use cases.</summary>
public abstract class ApplicationTest
{
    /// <summary>A well-formed token that was never issued to any worker.</summary>
    protected const string UnissuedToken = "wft_never-issued-0123456789abcdefghijklmnopqrst";

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private TestApplication? _app;

    protected TestApplication App => _app ?? throw new InvalidOperationException("The application starts in SetUp.");

    protected FakeTimeProvider Clock => App.Clock;

    protected StorageFaults Storage => App.Faults;

    /// <summary>Settings under <c>WorkerFleet:Lifecycle</c> for every test of the fixture.</summary>
    protected virtual IReadOnlyDictionary<string, string?> LifecycleSettings { get; } = new Dictionary<string, string?>();

    [SetUp]
    public async Task StartApplication()
    {
        _tokens.Clear();
        _app = await TestApplication.StartAsync(LifecycleSettings);
    }

    [TearDown]
    public async Task StopApplication()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    protected Task<TResponse> SendAsync<TResponse>(IRequest<TResponse> request) => App.SendAsync(request);

    /// <summary>Stops this instance and starts another on the same storage and clock, as a deploy or a crash does.
    /// The new instance has handled no request yet; registered workers and their tokens are kept.</summary>
    protected async Task RestartAsync()
    {
        var stopped = App;
        _app = TestApplication.RestartOf(stopped, LifecycleSettings);
        await stopped.DisposeAsync();
    }

    /// <summary>Starts this instance with a request that changes nothing (reading the alarms), then lets one heartbeat
    /// timeout and a second pass: stale detection is past the grace period it owes the fleet after start-up.</summary>
    protected async Task PassStartUpGraceAsync()
    {
        (await SendAsync(new GetAlarms())).IsSuccess.Should().BeTrue();
        Clock.Advance(App.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));
    }

    /// <summary>Lets one heartbeat timeout and a second pass, then has only <paramref name="stillBeating"/> send a
    /// heartbeat: every other Active worker is stale.</summary>
    protected async Task LetOneTimeoutPassAsync(IEnumerable<string> stillBeating)
    {
        Clock.Advance(App.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        foreach (var id in stillBeating)
        {
            await HeartbeatAsync(id);
        }
    }

    /// <summary>Registers a worker and keeps its token for <see cref="TokenOf"/>.</summary>
    protected async Task<Worker> RegisterAsync(string id, string region = "us-east-1")
    {
        var registered = (await SendAsync(new RegisterWorker(id, region, 10))).Value;
        _tokens[id] = registered.Token;
        return registered.Worker;
    }

    /// <summary>The current token of a worker registered (or rotated) through these helpers.</summary>
    protected string TokenOf(string id) =>
        _tokens.TryGetValue(id, out var token) ? token : throw new InvalidOperationException($"'{id}' was not registered through RegisterAsync.");

    /// <summary>Issues the worker a new token and keeps it for <see cref="TokenOf"/>; returns it.</summary>
    protected async Task<string> RotateTokenAsync(string id)
    {
        var issued = (await SendAsync(new RotateWorkerToken(id))).Value;
        _tokens[id] = issued.Token;
        return issued.Token;
    }

    /// <summary>A heartbeat with the worker's current token.</summary>
    protected async Task<HeartbeatReceipt> HeartbeatAsync(string id) => (await SendAsync(new RecordHeartbeat(id, TokenOf(id)))).Value;

    /// <summary>Sends heartbeats one second apart; returns their timestamps, oldest first.</summary>
    protected async Task<DateTimeOffset[]> SendHeartbeatsAsync(string id, int count)
    {
        var sent = new DateTimeOffset[count];
        for (var i = 0; i < count; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            sent[i] = (await HeartbeatAsync(id)).ReceivedAt;
        }

        return sent;
    }

    protected async Task<Worker> GetAsync(string id) => (await SendAsync(new GetWorker(id))).Value;

    /// <summary>The ids of the workers in <paramref name="status"/>, in id order.</summary>
    protected async Task<string[]> IdsInAsync(WorkerStatus status) =>
        [.. (await SendAsync(new ListWorkers { Status = status.ToString(), Limit = 1000 })).Value.Items.Select(w => w.Id.Value)];

    /// <summary>Registers <paramref name="count"/> workers in a region, <paramref name="prefix"/>-001 and on, and makes them Active
    /// with a heartbeat each and one activation sweep; returns their ids in id order.</summary>
    protected async Task<string[]> RegisterActiveFleetAsync(string prefix, int count, string region = "us-east-1")
    {
        var ids = Enumerable.Range(1, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D3}")).ToArray();
        foreach (var id in ids)
        {
            await RegisterAsync(id, region);
            await HeartbeatAsync(id);
        }

        (await SendAsync(new ActivatePendingWorkers())).Value.Select(w => w.Value).Should().Contain(ids);
        return ids;
    }

    /// <summary>Every registered worker with its heartbeat history, in id order: what a refused request must leave as it was.</summary>
    protected async Task<List<WorkerSnapshot>> SnapshotFleetAsync()
    {
        var fleet = new List<WorkerSnapshot>();
        foreach (var worker in (await SendAsync(new ListWorkers { Limit = 1000 })).Value.Items)
        {
            var history = (await SendAsync(new GetHeartbeatHistory(worker.Id.Value, 1000))).Value;
            fleet.Add(new WorkerSnapshot(worker, history.Heartbeats));
        }

        return fleet;
    }

    /// <summary>Follows the cursors from the first page to the last; returns the ids on each page.</summary>
    protected async Task<List<string[]>> ReadPagesAsync<T>(Func<string?, IRequest<Result<Page<T>>>> pageAfter, Func<T, WorkerId> idOf)
    {
        var pages = new List<string[]>();
        string? cursor = null;
        do
        {
            pages.Count.Should().BeLessThan(1000, "following the cursors must reach the last page");
            var page = (await SendAsync(pageAfter(cursor))).Value;
            pages.Add(page.Items.Select(item => idOf(item).Value).ToArray());
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        return pages;
    }

    /// <summary>Registers a worker and moves it to <paramref name="status"/> the way production does: heartbeat and
    /// activation for Active; then silence past the timeout and stale detection for Offline; the operator for Failed.
    /// The sweeps it runs touch every worker, so set up Offline workers before the others. Its stale detection runs more
    /// than one timeout after the registration, which storage answered: past any grace period.</summary>
    protected async Task<Worker> RegisterInAsync(string id, WorkerStatus status)
    {
        await RegisterAsync(id);
        if (status is WorkerStatus.Active or WorkerStatus.Offline)
        {
            await HeartbeatAsync(id);
            (await SendAsync(new ActivatePendingWorkers())).Value.Should().Contain(WorkerId.From(id));
        }

        if (status is WorkerStatus.Offline)
        {
            Clock.Advance(App.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));
            (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().Contain(WorkerId.From(id));
        }

        if (status is WorkerStatus.Failed)
        {
            (await SendAsync(new UpdateWorkerStatus(id, nameof(WorkerStatus.Failed)))).Value.Status.Should().Be(WorkerStatus.Failed);
        }

        return await GetAsync(id);
    }
}
