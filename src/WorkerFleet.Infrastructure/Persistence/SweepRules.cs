using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The lifecycle sweeps' rules in SQL, the only place they are written. In each statement <c>{0}</c> is the
/// sweep's <c>From</c> status, <c>{1}</c> the cutoff (now − heartbeat timeout) and <c>{2}</c> its <c>To</c> status; a
/// heartbeat at the cutoff is recent. Only these constants are put into the SQL text; values go in as parameters.</summary>
internal static class SweepRules
{
    // The journal's columns of a scheduled status change, selected from the moved workers' rows: {3} is the sweep's
    // time, {4} its trigger, {5} its actor and {6} the event type.
    private const string Events = """
        INSERT INTO worker_events (at, worker_id, type, from_status, to_status, trigger, actor, last_heartbeat_at, cutoff)
        SELECT {3}, id, {6}, {0}, {2}, {4}, {5}, last_heartbeat_at, {1}
        """;

    /// <summary>Moves the workers the sweep matches, outside <paramref name="exceptRegions"/>, and journals each move, in
    /// the current transaction, which this takes the journal's lock for. The moves are one UPDATE … RETURNING: the
    /// database re-checks the WHERE clause on each row it locks, so two sweeps at once never move a worker twice, and
    /// the ids come back from the same statement. On PostgreSQL the events are inserted from that statement's rows in
    /// the same statement; on SQLite, whose single writer nothing can overtake, by one INSERT … SELECT of the same
    /// rows just before it. Returns the ids in id order.</summary>
    public static async Task<IReadOnlyList<WorkerId>> MoveAsync(
        WorkerFleetDbContext db, LifecycleSweep sweep, DateTimeOffset cutoff, IReadOnlyList<string> exceptRegions, Change change,
        CancellationToken cancellationToken)
    {
        var where = Matches(sweep) + (exceptRegions.Count == 0
            ? ""
            : $" AND region NOT IN ({WorkerFleetDbContext.Placeholders(first: 7, exceptRegions.Count)})");
        const string setStatus = "workers SET status = {2}, version = version + 1 WHERE ";
        object[] parameters =
        [
            sweep.From.ToString(), cutoff.UtcDateTime, sweep.To.ToString(), change.At.UtcDateTime, WorkerEvent.NameOf(sweep.Trigger),
            change.Actor, WorkerEvent.NameOf(WorkerEventType.StatusChanged), .. exceptRegions,
        ];

        await Journal.LockAsync(db, cancellationToken);
        List<string> ids;
        if (db.Database.IsNpgsql())
        {
            var sql = $$"""
                WITH moved AS (UPDATE {{setStatus}}{{where}} RETURNING id, last_heartbeat_at),
                     journaled AS ({{Events}} FROM moved ORDER BY id)
                SELECT id FROM moved
                """;
            ids = await db.ReadAsync(sql, parameters, row => row.GetString(0), cancellationToken);
        }
        else
        {
            // NOT INDEXED: left to itself, SQLite reads the rows in id order through the primary key's index, a lookup
            // in the table for each of them, where reading the table once and sorting the rows it moves is quicker
            // (10,000 of 100,000 workers journaled in 61 ms instead of 105, medians of five, docs/performance-log.md).
            var journal = $"{Events} FROM workers NOT INDEXED WHERE {where} ORDER BY id";
            // OR FAIL: no constraint can fail on these two columns, and a failure would roll the whole transaction back
            // anyway, so SQLite need not keep every page the UPDATE changes in a statement journal to undo it alone
            // (about 21 MB written to a temporary file when 10,000 of 100,000 workers move).
            var move = $"UPDATE OR FAIL {setStatus}{where} RETURNING id";
            // No event written, no worker to move: the UPDATE would read the whole table again for nothing.
            ids = await db.Database.ExecuteSqlRawAsync(journal, parameters, cancellationToken) == 0
                ? []
                : await db.ReadAsync(move, parameters, row => row.GetString(0), cancellationToken);
        }

        return [.. ids.Order(StringComparer.Ordinal).Select(WorkerId.From)];
    }

    /// <summary>After a committed sweep that moved more workers than autovacuum waits for before it analyzes a table (50
    /// and a tenth of its rows), refreshes PostgreSQL's statistics of <c>workers</c> now rather than at autovacuum's next
    /// round: no index holds status, so the plan of a status listing rests on them, and with statistics from before a
    /// mass activation it reads the whole table instead of a page of the key (docs/performance-log.md).</summary>
    public static async Task RefreshStatisticsAsync(WorkerFleetDbContext db, int moved, CancellationToken cancellationToken)
    {
        const int AutovacuumThreshold = 50;
        if (moved <= AutovacuumThreshold || !db.Database.IsNpgsql())
        {
            return;
        }

        var rows = (await db.ReadAsync(
            "SELECT CAST(reltuples AS double precision) FROM pg_class WHERE oid = 'workers'::regclass", [], row => row.GetDouble(0), cancellationToken)).Single();
        if (moved > AutovacuumThreshold + (0.1 * Math.Max(rows, 0)))
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE workers", cancellationToken);
        }
    }

    /// <summary>Whether the sweep matches any worker: one read of the sweep's status that stops at the first match and,
    /// unlike <see cref="CountByRegion"/>, groups nothing when there is none. Most runs of the three sweeps match
    /// none, and asked before their write transaction it keeps those runs from holding the journal's lock
    /// (PostgreSQL) or the one writer's (SQLite) over a read of the whole status, while registrations and heartbeats
    /// wait for it.</summary>
    public static async Task<bool> AnyMatchAsync(
        WorkerFleetDbContext db, LifecycleSweep sweep, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        (await db.ReadAsync(
            $"SELECT CAST(EXISTS (SELECT 1 FROM workers WHERE {Matches(sweep)}) AS INTEGER)",
            [sweep.From.ToString(), cutoff.UtcDateTime],
            row => row.GetInt32(0) == 1,
            cancellationToken))
        .Single();

    /// <summary>For each region with any worker the sweep matches: how many it matches (<c>matched</c>) and how many
    /// workers are in its <c>From</c> status (<c>in_status</c>), both from one read of that status.</summary>
    public static string CountByRegion(LifecycleSweep sweep) => $$"""
        SELECT region,
               CAST(count(*) FILTER (WHERE {{Heartbeat(sweep.Requirement)}}) AS INTEGER) AS matched,
               CAST(count(*) AS INTEGER) AS in_status
        FROM workers WHERE status = {0} GROUP BY region HAVING count(*) FILTER (WHERE {{Heartbeat(sweep.Requirement)}}) > 0
        """;

    private static string Heartbeat(HeartbeatRequirement requirement) => requirement == HeartbeatRequirement.Recent
        ? "last_heartbeat_at >= {1}"
        : "(last_heartbeat_at IS NULL OR last_heartbeat_at < {1})";

    private static string Matches(LifecycleSweep sweep) => "status = {0} AND " + Heartbeat(sweep.Requirement);
}
