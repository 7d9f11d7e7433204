using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The PostgreSQL database the tests of this process share: created and migrated on first use, emptied before
/// each test, dropped by <see cref="TestRun"/> after the last. A database per test cost a CREATE DATABASE (about 300 ms)
/// and the migrations, and mutation testing runs the covering tests once per mutant. Its name holds a GUID, so test
/// processes running at once against one server never share it. Sharing rests on this assembly's tests running one at a
/// time (none is [Parallelizable]); a test that alters a table, or reads statistics that TRUNCATE does not reset, takes a
/// database of its own (<see cref="TestStorage.CreateAsync"/>).</summary>
internal sealed class SharedPostgresDatabase
{
    /// <summary>The definitions a test could change with ALTER, CREATE or DROP in the public schema: relations with their
    /// settings (autovacuum's among them), columns, indexes, constraints and triggers, as one hash.</summary>
    private const string SchemaHashSql = """
        SELECT md5(string_agg(definition, E'\n' ORDER BY definition)) FROM (
            SELECT format('%s %s %s', relname, relkind, reloptions) FROM pg_class
            WHERE relnamespace = current_schema()::regnamespace
            UNION ALL
            SELECT format('%s.%s %s %s %s %s', attrelid::regclass, attname, format_type(atttypid, atttypmod), attnotnull,
                pg_get_expr(adbin, adrelid), attidentity)
            FROM pg_attribute JOIN pg_class ON pg_class.oid = attrelid LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum
            WHERE relnamespace = current_schema()::regnamespace AND attnum > 0 AND NOT attisdropped
            UNION ALL
            SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
            UNION ALL
            SELECT format('%s %s', conrelid::regclass, pg_get_constraintdef(oid)) FROM pg_constraint
            WHERE connamespace = current_schema()::regnamespace
            UNION ALL
            SELECT pg_get_triggerdef(pg_trigger.oid) FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid
            WHERE relnamespace = current_schema()::regnamespace AND NOT tgisinternal
        ) AS definitions(definition)
        """;

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SharedPostgresDatabase? _current;

    private readonly string _server;
    private readonly string _name;
    private readonly string _schemaHash;
    private readonly string _truncate;
    private readonly IReadOnlyList<(string Table, string Rows)> _seeded;

    private SharedPostgresDatabase(string server, string name, string schemaHash, string truncate, IReadOnlyList<(string Table, string Rows)> seeded)
    {
        _server = server;
        _name = name;
        _schemaHash = schemaHash;
        _truncate = truncate;
        _seeded = seeded;
    }

    private string ConnectionString => TestStorage.PostgresConnectionString(_server, _name);

    /// <summary>The connection string of the shared database on <paramref name="server"/>, created on the first call,
    /// with every table emptied and the rows the migrations seed put back.</summary>
    public static async Task<string> EmptiedAsync(string server)
    {
        await Gate.WaitAsync();
        try
        {
            _current ??= await CreateAsync(server);
            await _current.EmptyAsync();
            return _current.ConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Fails the test that just ran if it changed the schema or a table's settings, which would leak into every
    /// test after it, and drops the database so that the next test gets a new one.</summary>
    public static async Task CheckUnalteredAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_current is null)
            {
                return;
            }

            await using (var connection = new NpgsqlConnection(_current.ConnectionString))
            {
                await connection.OpenAsync();
                if (await SchemaHashAsync(connection) == _current._schemaHash)
                {
                    return;
                }
            }

            await DropCurrentAsync();
        }
        finally
        {
            Gate.Release();
        }

        Assert.Fail("The test altered the schema or a table's settings of the PostgreSQL database the tests share. Give it " +
            "a database of its own: TestStorage.CreateAsync(StorageProvider.Postgres, ownDatabase: true).");
    }

    /// <summary>Drops the shared database if this process created one; called once, after the last test.</summary>
    public static async Task DropAsync()
    {
        await Gate.WaitAsync();
        try
        {
            await DropCurrentAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task DropCurrentAsync()
    {
        if (_current is not null)
        {
            await TestStorage.DropPostgresDatabaseAsync(_current._server, _current._name);
            _current = null;
        }
    }

    /// <summary>Creates and migrates the database, then reads from it what emptying needs: every table but the
    /// migrations' history (so tables a later migration adds are emptied too), and the rows the migrations seed
    /// (the single rows of stale_detection_grace and worker_event_retention, which the product only ever updates).</summary>
    private static async Task<SharedPostgresDatabase> CreateAsync(string server)
    {
        var name = await TestStorage.CreatePostgresDatabaseAsync(server);
        await using var connection = new NpgsqlConnection(TestStorage.PostgresConnectionString(server, name));
        await connection.OpenAsync();

        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1
            ORDER BY table_name
            """,
            connection))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = HistoryRepository.DefaultTableName });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var seeded = new List<(string Table, string Rows)>();
        foreach (var table in tables)
        {
            await using var read = new NpgsqlCommand($"SELECT CAST(json_agg(seeded) AS text) FROM {table} AS seeded", connection);
            if (await read.ExecuteScalarAsync() is string rows)
            {
                seeded.Add((table, rows));
            }
        }

        return new SharedPostgresDatabase(
            server, name, await SchemaHashAsync(connection), $"TRUNCATE {string.Join(", ", tables)} RESTART IDENTITY CASCADE", seeded);
    }

    /// <summary>Empties every table and restarts its identity in one statement, then puts the seeded rows back, all in
    /// one round trip and one transaction.</summary>
    private async Task EmptyAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { new NpgsqlBatchCommand(_truncate) } };
        foreach (var (table, rows) in _seeded)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, CAST($1 AS json))")
            {
                Parameters = { new NpgsqlParameter { Value = rows } },
            });
        }

        await batch.ExecuteNonQueryAsync();
    }

    private static async Task<string> SchemaHashAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(SchemaHashSql, connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
