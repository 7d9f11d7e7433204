using Npgsql;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A database of its own on the PostgreSQL server named by WORKERFLEET_TEST_POSTGRES, dropped afterwards.</summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _name;

    private TestDatabase(string server, string name)
    {
        _server = server;
        _name = name;
    }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server) { Database = _name }.ConnectionString;

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var server = Environment.GetEnvironmentVariable("WORKERFLEET_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            Assert.Fail("WORKERFLEET_TEST_POSTGRES is not set: run the tests with `bash build/test.sh`, which starts a throwaway PostgreSQL.");
        }

        var database = new TestDatabase(server!, $"workerfleet_{purpose}_{Guid.NewGuid():N}");
        await ExecuteAsync(server!, $"CREATE DATABASE {database._name}");
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
