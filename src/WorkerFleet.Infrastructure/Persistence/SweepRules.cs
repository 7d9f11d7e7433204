using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The lifecycle sweeps' rules in SQL, the only place they are written. In each statement <c>{0}</c> is the
/// sweep's <c>From</c> status, <c>{1}</c> the cutoff (now − heartbeat timeout) and <c>{2}</c> its <c>To</c> status; a
/// heartbeat at the cutoff is recent. Only these constants are put into the SQL text; values go in as parameters.</summary>
internal static class SweepRules
{
    /// <summary>Moves the workers the sweep matches, and those of them that <paramref name="andAlso"/> keeps, in one
    /// UPDATE … RETURNING: the database re-checks the WHERE clause on each row it locks, so two sweeps at once never
    /// move a worker twice, and the ids come back from the same statement.</summary>
    public static string Move(LifecycleSweep sweep, string andAlso = "") =>
        $$"""UPDATE workers SET status = {2}, version = version + 1 WHERE {{Matches(sweep)}}{{andAlso}} RETURNING id AS "Value" """;

    /// <summary>For each region with any: how many workers the sweep matches.</summary>
    public static string CountByRegion(LifecycleSweep sweep) =>
        $"""SELECT region AS "Region", CAST(count(*) AS INTEGER) AS "Count" FROM workers WHERE {Matches(sweep)} GROUP BY region""";

    private static string Heartbeat(HeartbeatRequirement requirement) => requirement == HeartbeatRequirement.Recent
        ? "last_heartbeat_at >= {1}"
        : "(last_heartbeat_at IS NULL OR last_heartbeat_at < {1})";

    private static string Matches(LifecycleSweep sweep) => "status = {0} AND " + Heartbeat(sweep.Requirement);
}
