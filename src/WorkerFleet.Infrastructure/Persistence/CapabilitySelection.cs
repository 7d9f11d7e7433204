using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>Where a selection by capability starts reading, and which capabilities are left to test on the rows it
/// reads. On PostgreSQL, the workers table, testing all of them: the GIN index on capabilities answers the
/// containment test. SQLite has no index that can: it starts from the workers that have the required capability fewest
/// workers have, read from <c>worker_capabilities</c> (entries of capability, region, capacity and worker, counted in
/// <c>capability_counts</c>; both kept by triggers on workers), unless even that capability is common, where walking
/// the primary key in id order fills a page sooner (docs/performance-log.md, "Selection on the server").</summary>
internal static class CapabilitySelection
{
    /// <summary>How many workers with a capability are still few enough to start from.</summary>
    public const int StartFromCapabilityBelow = 10_000;

    public static async Task<(IQueryable<WorkerEntity> Source, string[] ToTest)> SourceAsync(
        WorkerFleetDbContext db, WorkerSelection selection, string[] required, CancellationToken cancellationToken)
    {
        if (required.Length == 0 || !db.Database.IsSqlite())
        {
            return (db.Workers, required);
        }

        // A capability no worker has counts 0 and comes first: the selection is then empty, and reads nothing more.
        var list = JsonSerializer.Serialize(required);
        var rarest = (await db.ReadAsync(
                """
                SELECT r.value, coalesce(c.workers, 0) AS workers
                FROM json_each({0}) AS r LEFT JOIN capability_counts AS c ON c.capability = r.value
                ORDER BY workers LIMIT 1
                """,
                [list],
                row => new CapabilityCount(row.GetString(0), row.GetInt32(1)),
                cancellationToken))
            .Single();
        if (rarest.Workers >= StartFromCapabilityBelow)
        {
            return (db.Workers, required);
        }

        // CROSS JOIN is SQLite's way to fix the join order: from the capability's index entries to their workers. The
        // entries carry region and capacity, so only the workers that pass those filters are looked up; the caller
        // applies the same filters to the rows again, as it does on every source.
        var source = db.Workers.FromSql($"""
            SELECT w.* FROM worker_capabilities AS c CROSS JOIN workers AS w ON w.id = c.worker_id
            WHERE c.capability = {rarest.Capability} AND c.region = coalesce({selection.Region}, c.region)
                AND c.capacity >= coalesce({selection.MinCapacity}, c.capacity)
            """);
        return (source, [.. required.Where(c => !string.Equals(c, rarest.Capability, StringComparison.Ordinal))]);
    }

    private sealed record CapabilityCount(string Capability, int Workers);
}
