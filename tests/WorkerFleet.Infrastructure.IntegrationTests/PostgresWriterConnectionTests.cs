using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Events;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;
using WorkerFleet.Infrastructure.Persistence.Registrations;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>On PostgreSQL each group-commit writer keeps a connection of its own, with its statements prepared on it:
/// batches skip parsing, planning and the pool's reset of a rented connection.</summary>
[TestFixture]
public sealed class PostgresWriterConnectionTests() : StorageTestBase(StorageProvider.Postgres)
{
    private static readonly FakeTimeProvider Clock = new(Now);
    private PostgresWriterConnection _connection = new(Clock);

    [TearDown]
    public async Task ReplaceConnection()
    {
        await _connection.DisposeAsync();
        _connection = new PostgresWriterConnection(Clock);
    }

    [Test]
    public async Task Registration_and_heartbeat_batches_run_prepared_on_one_connection()
    {
        var before = await BackendAsync();

        (await RegisterBatchAsync("worker-1")).Should().Equal(true);
        (await Database(db => new PostgresHeartbeatBatchWriter(_connection).WriteAsync(
            db, [new HeartbeatWrite(WorkerId.From("worker-1"), TokenFor("worker-1").Hash, Now.UtcDateTime, 10)], CancellationToken.None)))
            .Should().Equal(WorkerStatus.Pending);

        (await BackendAsync()).Should().Be(before);
        (await WriteAsync(c => Task.FromResult(c.CommandTimeout))).Should()
            .Be(await Database(db => Task.FromResult(db.Database.GetCommandTimeout())), "the writer's statements keep the context's command timeout");
        var prepared = await WriteAsync(async c =>
        {
            await using var command = new NpgsqlCommand("SELECT statement FROM pg_prepared_statements", c);
            await using var reader = await command.ExecuteReaderAsync();
            var statements = new List<string>();
            while (await reader.ReadAsync())
            {
                statements.Add(reader.GetString(0));
            }

            return statements;
        });
        prepared.Should().Contain(s => s.Contains("pg_advisory_xact_lock"), "the journal's lock goes with every registration batch");
        prepared.Should().Contain(s => s.Contains("INSERT INTO workers"));
        prepared.Should().Contain(s => s.Contains("UPDATE workers AS w"));
    }

    [Test]
    public async Task A_connection_unused_for_longer_than_the_check_interval_is_kept_while_it_works_and_replaced_once_closed()
    {
        var first = await BackendAsync();
        Clock.Advance(PostgresWriterConnection.CheckAfter + TimeSpan.FromSeconds(1));
        (await BackendAsync()).Should().Be(first, "the check found it open");

        await TerminateAsync(first);
        Clock.Advance(PostgresWriterConnection.CheckAfter + TimeSpan.FromSeconds(1));

        (await RegisterBatchAsync("worker-1")).Should().Equal([true], "the check found the connection closed and the batch went on a new one");
        (await BackendAsync()).Should().NotBe(first);
    }

    [Test]
    public async Task A_batch_sent_on_a_connection_closed_since_the_last_one_fails_and_the_next_runs_on_a_new_connection()
    {
        var first = await BackendAsync();
        await TerminateAsync(first);

        await FluentActions.Awaiting(() => RegisterBatchAsync("worker-1")).Should().ThrowAsync<NpgsqlException>();

        (await RegisterBatchAsync("worker-1")).Should().Equal(true);
        (await FindAsync("worker-1")).Status.Should().Be(WorkerStatus.Pending);
        (await BackendAsync()).Should().NotBe(first);
    }

    [Test]
    public async Task A_batch_that_fails_closes_its_connection_and_the_next_runs_on_a_new_one()
    {
        var first = await BackendAsync();

        await FluentActions.Awaiting(() => WriteAsync<int>(_ => throw new InvalidOperationException("the batch failed")))
            .Should().ThrowAsync<InvalidOperationException>();

        (await BackendAsync()).Should().NotBe(first, "the failed batch's connection was closed, not kept in a pool for the next");
    }

    [Test]
    public async Task A_batch_whose_database_cannot_be_reached_fails_and_the_next_opens_a_connection_once_it_can()
    {
        var reachable = await ConnectionStringAsync();
        var unreachable = new NpgsqlConnectionStringBuilder(reachable) { Port = 1, Timeout = 2 }.ConnectionString;
        await using (var db = new PostgresWorkerFleetDbContext(
            new DbContextOptionsBuilder<PostgresWorkerFleetDbContext>().UseNpgsql(unreachable).Options))
        {
            await FluentActions.Awaiting(() => _connection.WriteAsync(db, c => Task.FromResult(c.ProcessID), CancellationToken.None))
                .Should().ThrowAsync<NpgsqlException>();
        }

        (await BackendAsync()).Should().BePositive("the failed open left nothing behind that the next batch would use");
    }

    private Task<IReadOnlyList<bool>> RegisterBatchAsync(string id) =>
        Database(db => new PostgresRegistrationBatchWriter(Storage.Services.GetRequiredService<JournalSignal>(), _connection)
            .WriteAsync(db, [new NewRegistration(NewWorker(id, token: TokenFor(id)), "test")], CancellationToken.None));

    private async Task TerminateAsync(int backend)
    {
        await using var other = new NpgsqlConnection(await ConnectionStringAsync());
        await other.OpenAsync();
        await DirectSql.ExecuteAsync(other, $"SELECT pg_terminate_backend({backend}, 5000)");
    }

    private Task<int> BackendAsync() => WriteAsync(c => Task.FromResult(c.ProcessID));

    private Task<T> WriteAsync<T>(Func<NpgsqlConnection, Task<T>> write) =>
        Database(db => _connection.WriteAsync(db, write, CancellationToken.None));
}
