using Npgsql;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>What the tests that force an interleaving on PostgreSQL do from a second session.</summary>
internal static class PostgresSessions
{
    /// <summary>Whether a session of the database waits for a lock, polled every 10 ms for at most 5 seconds or until
    /// <paramref name="done"/> completes.</summary>
    public static async Task<bool> WaitForALockAsync(string connectionString, Task done)
    {
        for (var attempt = 0; attempt < 500 && !done.IsCompleted; attempt++)
        {
            await Task.Delay(10);
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return true;
            }
        }

        return false;
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
