using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>On SQLite each group-commit writer keeps a connection of its own with its statements prepared on it, from
/// its first batch until a batch fails.</summary>
[TestFixture]
public sealed class SqliteWriterConnectionTests() : StorageTestBase(StorageProvider.Sqlite)
{
    private readonly List<Statements> _prepared = [];
    private SqliteWriterConnection<Statements> _connection = null!;

    [SetUp]
    public void NewConnection()
    {
        _prepared.Clear();
        _connection = new SqliteWriterConnection<Statements>(checkpointsInCommits: true, Prepare);
    }

    [TearDown]
    public void DisposeConnection() => _connection.Dispose();

    [Test]
    public async Task The_statements_are_prepared_with_the_first_batch_and_kept_for_the_next()
    {
        (await WriteAsync(s => s.CountWorkersAsync())).Should().Be(0);
        await RegisterAsync("worker-1");
        (await WriteAsync(s => s.CountWorkersAsync())).Should().Be(1);

        _prepared.Should().ContainSingle();
        _prepared[0].Disposed.Should().BeFalse();
        _prepared[0].Timeout.Should().Be(await Database(db => Task.FromResult(db.Database.GetCommandTimeout())),
            "the statements keep the context's command timeout");
    }

    [Test]
    public async Task A_batch_that_fails_drops_the_statements_and_the_next_batch_prepares_them_on_a_new_connection()
    {
        await WriteAsync(s => s.CountWorkersAsync());

        var failing = () => WriteAsync<long>(_ => throw new SqliteException("disk I/O error", 10));

        await failing.Should().ThrowAsync<SqliteException>().WithMessage("disk I/O error");
        _prepared.Should().ContainSingle().Which.Disposed.Should().BeTrue("the failed batch's connection is closed");
        (await WriteAsync(s => s.CountWorkersAsync())).Should().Be(0);
        _prepared.Should().HaveCount(2);
        _prepared[1].Disposed.Should().BeFalse();
        _prepared[1].Connection.Should().NotBeSameAs(_prepared[0].Connection);
    }

    [Test]
    public async Task Disposing_it_closes_the_kept_connection_and_a_later_batch_opens_a_new_one()
    {
        await WriteAsync(s => s.CountWorkersAsync());

        _connection.Dispose();

        _prepared.Should().ContainSingle().Which.Connection.State.Should().Be(System.Data.ConnectionState.Closed);
        (await WriteAsync(s => s.CountWorkersAsync())).Should().Be(0);
        _prepared.Should().HaveCount(2);
    }

    private Task<T> WriteAsync<T>(Func<Statements, Task<T>> write) =>
        Database(db => _connection.WriteAsync(db, write, CancellationToken.None));

    private Statements Prepare(SqliteConnection connection, int? timeout)
    {
        var statements = new Statements(connection, timeout);
        _prepared.Add(statements);
        return statements;
    }

    /// <summary>A writer's statements: one prepared count of the workers, on the connection they own.</summary>
    private sealed class Statements : IDisposable
    {
        private readonly SqliteCommand _count;

        public Statements(SqliteConnection connection, int? timeout)
        {
            Connection = connection;
            Timeout = timeout;
            _count = connection.CreateCommand();
            _count.CommandText = "SELECT count(*) FROM workers";
            _count.Prepare();
        }

        public SqliteConnection Connection { get; }

        public int? Timeout { get; }

        public bool Disposed { get; private set; }

        public async Task<long> CountWorkersAsync() => (long)(await _count.ExecuteScalarAsync())!;

        public void Dispose()
        {
            Disposed = true;
            _count.Dispose();
            Connection.Dispose();
        }
    }
}
