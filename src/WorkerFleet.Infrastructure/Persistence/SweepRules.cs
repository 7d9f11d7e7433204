using Microsoft.EntityFrameworkCore;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The lifecycle sweeps' rules in SQL, the only place they are written. In each statement <c>{0}</c> is the
/// sweep's <c>From</c> status, <c>{1}</c> the cutoff (now − heartbeat timeout) and <c>{2}</c> its <c>To</c> status; a
/// heartbeat at the cutoff is recent. Only these constants are put into the SQL text; values go in as parameters.</summary>
internal static class SweepRules
{
    /// <summary>Moves the workers the sweep matches, outside <paramref name="exceptRegions"/>, in one UPDATE … RETURNING:
    /// the database re-checks the WHERE clause on each row it locks, so two sweeps at once never move a worker twice,
    /// and the ids come back from the same statement. Returns them in id order.</summary>
    public static async Task<IReadOnlyList<WorkerId>> MoveAsync(
        WorkerFleetDbContext db, LifecycleSweep sweep, DateTimeOffset cutoff, IReadOnlyList<string> exceptRegions, CancellationToken cancellationToken)
    {
        var outside = exceptRegions.Count == 0
            ? ""
            : $" AND region NOT IN ({string.Join(", ", exceptRegions.Select((_, i) => $"{{{i + 3}}}"))})";
        var sql = $$"""UPDATE workers SET status = {2}, version = version + 1 WHERE {{Matches(sweep)}}{{outside}} RETURNING id AS "Value" """;
        object[] parameters = [sweep.From.ToString(), cutoff.UtcDateTime, sweep.To.ToString(), .. exceptRegions];
        var ids = await db.Database.SqlQueryRaw<string>(sql, parameters).ToListAsync(cancellationToken);
        return [.. ids.Order(StringComparer.Ordinal).Select(WorkerId.From)];
    }

    /// <summary>For each region with any: how many workers the sweep matches.</summary>
    public static string CountByRegion(LifecycleSweep sweep) =>
        $"""SELECT region AS "Region", CAST(count(*) AS INTEGER) AS "Count" FROM workers WHERE {Matches(sweep)} GROUP BY region""";

    private static string Heartbeat(HeartbeatRequirement requirement) => requirement == HeartbeatRequirement.Recent
        ? "last_heartbeat_at >= {1}"
        : "(last_heartbeat_at IS NULL OR last_heartbeat_at < {1})";

    private static string Matches(LifecycleSweep sweep) => "status = {0} AND " + Heartbeat(sweep.Requirement);
}
