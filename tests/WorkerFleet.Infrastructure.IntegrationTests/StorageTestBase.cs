using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>Runs each test of a derived fixture once per storage provider, on an empty database: a SQLite file of its
/// own, or the PostgreSQL database the tests share, emptied, unless the fixture needs one of its own.</summary>
[TestFixture(StorageProvider.Sqlite)]
[TestFixture(StorageProvider.Postgres)]
public abstract class StorageTestBase(StorageProvider provider)
{
    protected static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    protected StorageProvider Provider { get; } = provider;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, WorkerToken> _tokens = new(StringComparer.Ordinal);

    internal TestStorage Storage { get; private set; } = null!;

    /// <summary>Whether each test needs a PostgreSQL database of its own rather than the shared one: see
    /// <see cref="TestStorage.CreateAsync"/>.</summary>
    protected virtual bool OwnDatabase => false;

    [SetUp]
    public async Task CreateStorage() => Storage = await TestStorage.CreateAsync(Provider, OwnDatabase);

    [TearDown]
    public async Task DropStorage() => await Storage.DisposeAsync();

    protected Task<T> Workers<T>(Func<IWorkerRepository, Task<T>> action) => Storage.InScopeAsync(action);

    protected Task<T> Heartbeats<T>(Func<IHeartbeatStore, Task<T>> action) => Storage.InScopeAsync(action);

    private protected Task<T> Database<T>(Func<WorkerFleetDbContext, Task<T>> action) => Storage.InScopeAsync(action);

    /// <summary>The test database's connection string, for connections of a test's own.</summary>
    protected Task<string> ConnectionStringAsync() => Database(db => Task.FromResult(db.Database.GetConnectionString()!));

    /// <summary>A session of the test's own, in a transaction that holds what a writer needs: on PostgreSQL the locks
    /// <paramref name="postgresLocks"/> takes, on SQLite the one writer's lock. Not pooled, so that closing it ends the
    /// transaction.</summary>
    protected async Task<DbConnection> HoldWritersLockAsync(string postgresLocks)
    {
        var connectionString = await ConnectionStringAsync();
        DbConnection connection = Provider == StorageProvider.Postgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await DirectSql.ExecuteAsync(connection, Provider == StorageProvider.Postgres ? $"BEGIN; {postgresLocks}" : "BEGIN IMMEDIATE");
        return connection;
    }

    protected static Worker NewWorker(string id, DateTimeOffset? registeredAt = null, WorkerToken? token = null) => Worker.Register(
        WorkerId.From(id),
        new WorkerConfiguration("us-east-1", 10, ["compute", "storage"], new Dictionary<string, string> { ["datacenter"] = "dc-1" }),
        registeredAt ?? Now,
        token ?? WorkerToken.Issue());

    protected async Task RegisterAsync(params string[] ids)
    {
        foreach (var id in ids)
        {
            (await Workers(w => w.TryAddAsync(NewWorker(id, token: TokenFor(id)), "test", CancellationToken.None))).Should().BeTrue();
        }
    }

    protected Task<WorkerStatus?> HeartbeatAsync(string id, DateTimeOffset at, int historySize = 100) =>
        Heartbeats(h => h.RecordAsync(WorkerId.From(id), TokenFor(id).Hash, at, historySize, CancellationToken.None));

    /// <summary>The token <see cref="RegisterAsync"/> gives a worker: one per worker id, stable within a test.</summary>
    protected WorkerToken TokenFor(string id) => _tokens.GetOrAdd(id, _ => WorkerToken.Issue());

    protected async Task<Worker> FindAsync(string id) =>
        (await Workers(w => w.FindAsync(WorkerId.From(id), CancellationToken.None)))!;

    protected Task<IReadOnlyList<WorkerId>> SweepAsync(LifecycleSweep sweep, DateTimeOffset cutoff) =>
        Workers(w => w.ApplySweepAsync(sweep, cutoff, TestChange.Now, CancellationToken.None));

    /// <summary>Puts a worker into a status directly, as a sequence of legal transitions would.</summary>
    protected async Task SetStatusAsync(string id, WorkerStatus status)
    {
        var worker = await FindAsync(id);
        var version = worker.Version;
        var from = worker.Status;
        var trigger = status switch
        {
            WorkerStatus.Active => TransitionTrigger.Activation,
            WorkerStatus.Failed => TransitionTrigger.Operator,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Use the sweeps for this status."),
        };
        worker.TransitionTo(status, trigger).Should().BeNull();
        (await Workers(w => w.TrySaveStatusAsync(worker, version, from, TestChange.Now, CancellationToken.None))).Should().BeTrue();
    }
}
