using Microsoft.EntityFrameworkCore;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The embedded database's settings that acknowledged writes depend on.</summary>
public class SqliteDurabilityTests
{
    [Test]
    public async Task The_service_connections_write_ahead_and_sync_each_commit_fully()
    {
        await using var storage = await TestStorage.CreateAsync(StorageProvider.Sqlite);

        var (journal, synchronous) = await storage.InScopeAsync<WorkerFleetDbContext, (string, long)>(async db =>
        {
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            return ((string)(await DirectSql.ScalarAsync(connection, "PRAGMA journal_mode"))!, (long)(await DirectSql.ScalarAsync(connection, "PRAGMA synchronous"))!);
        });

        journal.Should().Be("wal", "readers go on while a batch of heartbeats writes");
        synchronous.Should().Be(2, "FULL: a commit is on disk before the heartbeats in it are acknowledged");
    }
}
