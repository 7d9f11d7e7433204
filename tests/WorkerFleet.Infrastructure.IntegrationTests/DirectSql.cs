using System.Data.Common;
using Npgsql;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>Statements a test runs on a connection of its own, beside the service's: to set a database up as another
/// program left it, or to force an interleaving from a second session.</summary>
internal static class DirectSql
{
    public static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Whether a session of the PostgreSQL database waits for a lock (a row's, or an advisory one), polled every
    /// 10 ms for at most 5 seconds or until <paramref name="done"/> completes.</summary>
    public static async Task<bool> WaitForALockAsync(string connectionString, Task done)
    {
        for (var attempt = 0; attempt < 500 && !done.IsCompleted; attempt++)
        {
            await Task.Delay(10);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            if ((long)(await ScalarAsync(connection,
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))! > 0)
            {
                return true;
            }
        }

        return false;
    }
}
