using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Control;

/// <summary>The lifecycle's control state in the database, and stale detection with its per-region protection.</summary>
internal sealed class LifecycleControl(WorkerFleetDbContext db, JournalSignal journal, LogCheckpoints checkpoints) : ILifecycleControl
{
    private const int Attempts = 5;

    public async Task<StaleDetectionOutcome> DetectStaleAsync(StaleDetectionRun run, CancellationToken cancellationToken)
    {
        if (await NothingToChangeAsync(run, cancellationToken))
        {
            return new StaleDetectionOutcome(null, [], [], []);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await checkpoints.WriteAsync(db, () => DetectOnceAsync(run, cancellationToken), o => o.MarkedOffline.Count, cancellationToken);
            }
            catch (Exception exception) when (LostToAConcurrentWriter(exception) && attempt < Attempts)
            {
                // Another stale detection (on this instance or another), or the heartbeat of a stale worker coming
                // back, changed a row this run had read: nothing of the run was written, so it runs again on a new
                // snapshot.
            }
        }
    }

    public async Task<ControlState> ReadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var at = now.UtcDateTime;
        return await db.ReadStrategy().ExecuteAsync(async token =>
        {
            var holds = await db.MassFailureHolds.AsNoTracking().OrderBy(h => h.Since).ThenBy(h => h.Region).ToListAsync(token);
            var overrides = await db.MassFailureOverrides.AsNoTracking().Where(o => o.ExpiresAt > at).OrderBy(o => o.ArmedAt).ToListAsync(token);
            return new ControlState([.. holds.Select(ToHold)], [.. overrides.Select(ToOverride)]);
        }, cancellationToken);
    }

    public Task ArmOverrideAsync(MassFailureOverride armed, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO mass_failure_overrides (region, armed_at, armed_by, expires_at) VALUES ({0}, {1}, {2}, {3})
            ON CONFLICT (region) DO UPDATE SET armed_at = excluded.armed_at, armed_by = excluded.armed_by, expires_at = excluded.expires_at
            """,
            [armed.Region ?? MassFailureOverrideEntity.EveryRegion, armed.ArmedAt.UtcDateTime, armed.ArmedBy, armed.ExpiresAt.UtcDateTime],
            cancellationToken);

    public Task StartGraceAsync(DateTimeOffset startsAt, CancellationToken cancellationToken)
    {
        var at = startsAt.UtcDateTime;
        return db.StaleDetectionGrace
            .Where(g => g.Id == StaleDetectionGraceEntity.TheRow && (g.StartsAt == null || g.StartsAt < at))
            .ExecuteUpdateAsync(set => set.SetProperty(g => g.StartsAt, at), cancellationToken);
    }

    /// <summary>Whether the run would change nothing and move nobody: its grace period is stored and over, no region is
    /// held, no override has expired and no Active worker is stale. Most runs are such runs, and asked with reads before
    /// the run's transaction they take none, which on SQLite is the one writer's lock that heartbeat and registration
    /// batches wait for. What starts to need a change after these reads is changed by the next run, as it would be had
    /// it started just after a run.</summary>
    private async Task<bool> NothingToChangeAsync(StaleDetectionRun run, CancellationToken cancellationToken)
    {
        var settled = (await db.ReadAsync(
                """
                SELECT CAST(EXISTS (SELECT 1 FROM stale_detection_grace WHERE id = {0} AND starts_at >= {1} AND starts_at <= {2})
                            AND NOT EXISTS (SELECT 1 FROM mass_failure_holds)
                            AND NOT EXISTS (SELECT 1 FROM mass_failure_overrides WHERE expires_at <= {3}) AS INTEGER)
                """,
                [StaleDetectionGraceEntity.TheRow, run.GraceStartsAt.UtcDateTime, run.Cutoff.UtcDateTime, run.Now.UtcDateTime],
                row => row.GetInt32(0) == 1,
                cancellationToken))
            .Single();
        return settled && !await SweepRules.AnyMatchAsync(db, LifecycleSweep.StaleDetection, run.Cutoff, cancellationToken);
    }

    private async Task<StaleDetectionOutcome> DetectOnceAsync(StaleDetectionRun run, CancellationToken cancellationToken)
    {
        // One snapshot for the decision and the sweep: REPEATABLE READ on PostgreSQL, and on SQLite a write
        // transaction (BEGIN IMMEDIATE), which no other writer can interleave with.
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var now = run.Now.UtcDateTime;

        // The grace period lasts one heartbeat timeout from its latest start: while the cutoff (now − timeout) is
        // before that start, workers have not yet had a whole timeout to reach us.
        await StartGraceAsync(run.GraceStartsAt, cancellationToken);
        var graceStartsAt = (await db.ReadAsync(
                "SELECT starts_at FROM stale_detection_grace WHERE id = {0}", [StaleDetectionGraceEntity.TheRow],
                row => row.IsDBNull(0) ? (DateTime?)null : db.GetTimestamp(row, 0), cancellationToken))
            .Single();
        if (graceStartsAt is { } start && run.Cutoff.UtcDateTime < start)
        {
            await transaction.CommitAsync(cancellationToken);
            return new StaleDetectionOutcome(WorkerEntity.AsUtc(start) + (run.Now - run.Cutoff), [], [], []);
        }

        // A run with no stale worker (here for a hold to release, an expired override or the grace period) counts
        // nothing; otherwise the stale workers and the Active fleet by region come from one read of the Active workers.
        var sweep = LifecycleSweep.StaleDetection;
        var regions = await SweepRules.AnyMatchAsync(db, sweep, run.Cutoff, cancellationToken)
            ? await db.ReadAsync(
                SweepRules.CountByRegion(sweep), [sweep.From.ToString(), run.Cutoff.UtcDateTime],
                row => new RegionStaleness(row.GetString(0), Active: row.GetInt32(2), Stale: row.GetInt32(1)), cancellationToken)
            : [];
        var over = regions.Where(r => r.Stale > 0 && r.Active >= run.MinimumFleet && (double)r.Stale / r.Active > run.Threshold).ToList();
        var used = await TakeOverridesAsync(over.Select(r => r.Region).ToList(), now, cancellationToken);
        var held = over.Where(r => !used.Any(u => u.Region is null || u.Region == r.Region)).ToList();

        var moved = regions.Sum(r => r.Stale) == held.Sum(r => r.Stale)
            ? []
            : await SweepRules.MoveAsync(db, sweep, run.Cutoff, [.. held.Select(r => r.Region)], new Change(run.Now, run.Actor), cancellationToken);
        var holds = await RecordHoldsAsync(held, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (moved.Count > 0)
        {
            journal.Pulse();
            await SweepRules.RefreshStatisticsAsync(db, moved.Count, cancellationToken);
        }

        return new StaleDetectionOutcome(null, moved, holds, used);
    }

    /// <summary>Takes the unexpired overrides that let one of <paramref name="regions"/> through, and drops expired ones.</summary>
    private async Task<IReadOnlyList<MassFailureOverride>> TakeOverridesAsync(List<string> regions, DateTime now, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlRawAsync("DELETE FROM mass_failure_overrides WHERE expires_at <= {0}", [now], cancellationToken);
        if (regions.Count == 0)
        {
            return [];
        }

        var usable = db.MassFailureOverrides.Where(o => o.Region == MassFailureOverrideEntity.EveryRegion || regions.Contains(o.Region));
        var taken = await usable.AsNoTracking().ToListAsync(cancellationToken);
        await usable.ExecuteDeleteAsync(cancellationToken);
        return [.. taken.Select(ToOverride)];
    }

    /// <summary>Makes the stored holds the held regions: a region held again keeps when its hold started.</summary>
    private async Task<IReadOnlyList<RegionHold>> RecordHoldsAsync(List<RegionStaleness> held, DateTime now, CancellationToken cancellationToken)
    {
        if (held.Count == 0)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM mass_failure_holds", cancellationToken);
            return [];
        }

        var regions = held.Select(r => r.Region).ToList();
        var released = $"DELETE FROM mass_failure_holds WHERE region NOT IN ({WorkerFleetDbContext.Placeholders(first: 0, regions.Count)})";
        await db.Database.ExecuteSqlRawAsync(released, regions, cancellationToken);
        foreach (var region in held)
        {
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO mass_failure_holds (region, since, stale, active) VALUES ({0}, {1}, {2}, {3})
                ON CONFLICT (region) DO UPDATE SET stale = excluded.stale, active = excluded.active
                """,
                [region.Region, now, region.Stale, region.Active],
                cancellationToken);
        }

        var holds = await db.MassFailureHolds.AsNoTracking().Where(h => regions.Contains(h.Region)).OrderBy(h => h.Region).ToListAsync(cancellationToken);
        return [.. holds.Select(ToHold)];
    }

    /// <summary>Whether PostgreSQL rolled the transaction back for a concurrent change (EF Core may wrap its error).</summary>
    private static bool LostToAConcurrentWriter(Exception exception)
    {
        for (var current = (Exception?)exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException
                {
                    SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.UniqueViolation,
                })
            {
                return true;
            }
        }

        return false;
    }

    private static RegionHold ToHold(MassFailureHoldEntity h) => new(h.Region, WorkerEntity.AsUtc(h.Since), h.Stale, h.Active);

    private static MassFailureOverride ToOverride(MassFailureOverrideEntity o) => new(
        o.Region == MassFailureOverrideEntity.EveryRegion ? null : o.Region, WorkerEntity.AsUtc(o.ArmedAt), o.ArmedBy, WorkerEntity.AsUtc(o.ExpiresAt));

    private sealed record RegionStaleness(string Region, int Active, int Stale);
}
