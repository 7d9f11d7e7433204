using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence.Events;
using WorkerFleet.Infrastructure.Persistence.Registrations;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>Registrations are written in batches by the process's group commit (the writers in <c>Registrations</c>); the
/// rest here, each change in one transaction with its journal event.</summary>
internal sealed class WorkerRepository(
    WorkerFleetDbContext db, GroupCommit<NewRegistration, bool> registrations, JournalSignal journal, LogCheckpoints checkpoints)
    : IWorkerRepository
{
    public Task<bool> TryAddAsync(Worker worker, string actor, CancellationToken cancellationToken) =>
        registrations.SubmitAsync(new NewRegistration(worker, actor), cancellationToken);

    public async Task<Worker?> FindAsync(WorkerId id, CancellationToken cancellationToken)
    {
        var entity = await db.ReadStrategy().ExecuteAsync(
            token => db.Workers.AsNoTracking().SingleOrDefaultAsync(w => w.Id == id.Value, token), cancellationToken);
        return entity?.ToWorker();
    }

    public async Task<WorkerId?> FindByTokenHashAsync(string tokenHash, CancellationToken cancellationToken)
    {
        var id = await db.ReadStrategy().ExecuteAsync(
            token => db.Workers.Where(w => w.TokenHash == tokenHash).Select(w => w.Id).SingleOrDefaultAsync(token), cancellationToken);
        return id is null ? null : WorkerId.From(id);
    }

    public async Task<IReadOnlyList<TokenHolder>> ListTokenHoldersAsync(int take, CancellationToken cancellationToken)
    {
        var holders = await db.ReadStrategy().ExecuteAsync(
            token => db.Workers.AsNoTracking()
                .Where(w => w.TokenHash != null)
                .OrderBy(w => w.LastHeartbeatAt == null).ThenByDescending(w => w.LastHeartbeatAt).ThenBy(w => w.Id)
                .Take(take)
                .Select(w => new { w.TokenHash, w.Id })
                .ToListAsync(token),
            cancellationToken);
        return holders.ConvertAll(h => new TokenHolder(h.TokenHash!, WorkerId.From(h.Id)));
    }

    public Task<bool> RemoveAsync(WorkerId id, string? tokenHash, Change change, CancellationToken cancellationToken) =>
        JournaledAsync(async () =>
        {
            // The status it had goes into the event, read by the statement that deletes the row.
            var sql = tokenHash is null
                ? "DELETE FROM workers WHERE id = {0} RETURNING status"
                : "DELETE FROM workers WHERE id = {0} AND token_hash = {1} RETURNING status";
            object[] parameters = tokenHash is null ? [id.Value] : [id.Value, tokenHash];
            var removed = await db.ReadAsync(sql, parameters, row => row.GetString(0), cancellationToken);
            return removed.Count == 0
                ? null
                : WorkerEventEntity.Of(WorkerEventType.Unregistered, id.Value, change, from: Enum.Parse<WorkerStatus>(removed[0]));
        }, cancellationToken);

    public Task<bool> TryReplaceTokenAsync(WorkerId id, string tokenHash, Change change, CancellationToken cancellationToken) =>
        JournaledAsync(async () => await db.Workers
                .Where(w => w.Id == id.Value)
                .ExecuteUpdateAsync(set => set.SetProperty(w => w.TokenHash, tokenHash), cancellationToken) == 1
            ? WorkerEventEntity.Of(WorkerEventType.TokenRotated, id.Value, change)
            : null, cancellationToken);

    public Task<bool> TrySaveStatusAsync(
        Worker worker, long expectedVersion, WorkerStatus from, Change change, CancellationToken cancellationToken) =>
        JournaledAsync(async () => await db.Workers
                .Where(w => w.Id == worker.Id.Value && w.Version == expectedVersion)
                .ExecuteUpdateAsync(
                    set => set.SetProperty(w => w.Status, worker.Status).SetProperty(w => w.Version, worker.Version),
                    cancellationToken) == 1
            ? WorkerEventEntity.Of(WorkerEventType.StatusChanged, worker.Id.Value, change, from, worker.Status, TransitionTrigger.Operator)
            : null, cancellationToken);

    public Task<bool> TrySetSchedulableAsync(WorkerId id, bool schedulable, string? reason, Change change, CancellationToken cancellationToken) =>
        JournaledAsync(async () => await db.Workers
                .Where(w => w.Id == id.Value && w.Schedulable != schedulable)
                .ExecuteUpdateAsync(set => set.SetProperty(w => w.Schedulable, schedulable), cancellationToken) == 1
            ? WorkerEventEntity.Of(schedulable ? WorkerEventType.Uncordoned : WorkerEventType.Cordoned, id.Value, change, note: reason)
            : null, cancellationToken);

    public async Task<IReadOnlyList<WorkerId>> ApplySweepAsync(
        LifecycleSweep sweep, DateTimeOffset cutoff, Change change, CancellationToken cancellationToken)
    {
        if (!await SweepRules.AnyMatchAsync(db, sweep, cutoff, cancellationToken))
        {
            return [];
        }

        var moved = await checkpoints.WriteAsync(db, async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var swept = await SweepRules.MoveAsync(db, sweep, cutoff, exceptRegions: [], change, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return swept;
        }, ids => ids.Count, cancellationToken);
        if (moved.Count > 0)
        {
            journal.Pulse();
            await SweepRules.RefreshStatisticsAsync(db, moved.Count, cancellationToken);
        }

        return moved;
    }

    public Task<IReadOnlyDictionary<WorkerStatus, int>> CountByStatusAsync(CancellationToken cancellationToken) =>
        db.ReadStrategy().ExecuteAsync(async token => (IReadOnlyDictionary<WorkerStatus, int>)await db.Workers
            .GroupBy(w => w.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, token), cancellationToken);

    public async Task<IReadOnlyList<Worker>> ListAsync(WorkerSelection selection, WorkerId? after, int take, CancellationToken cancellationToken)
    {
        // A prefix longer than any id, or with a character no id holds, starts no id.
        if (selection.IdPrefix is { Length: > 0 } idPrefix && !WorkerId.IsValidPrefix(idPrefix))
        {
            return [];
        }

        string[] required = [.. selection.Capabilities ?? []];
        var page = await db.ReadStrategy().ExecuteAsync(
            async token =>
            {
                var (source, toTest) = await CapabilitySelection.SourceAsync(db, selection, required, token);
                return await Selected(source, selection, toTest, after).OrderBy(w => w.Id).Take(take).ToListAsync(token);
            },
            cancellationToken);
        return page.Select(w => w.ToWorker()).ToList();
    }

    private static IQueryable<WorkerEntity> Selected(
        IQueryable<WorkerEntity> source, WorkerSelection selection, string[] capabilities, WorkerId? after)
    {
        var query = source.AsNoTracking();
        if (selection.Status is { } wanted)
        {
            query = query.Where(w => w.Status == wanted);
        }

        if (selection.Region is { } region)
        {
            query = query.Where(w => w.Region == region);
        }

        if (capabilities.Length > 0)
        {
            // One containment test of the whole list: on PostgreSQL it is capabilities @> @list, which the GIN index on
            // capabilities answers (docs/performance-log.md, "Selection on the server").
            query = query.Where(w => capabilities.All(c => w.Capabilities.Contains(c)));
        }

        if (selection.MinCapacity is { } minCapacity)
        {
            query = query.Where(w => w.Capacity >= minCapacity);
        }

        if (selection.Schedulable is { } schedulable)
        {
            query = query.Where(w => w.Schedulable == schedulable);
        }

        if (selection.IdPrefix is { Length: > 0 } idPrefix)
        {
            // Past the check in ListAsync the prefix is ASCII, where both databases' id order (SQLite's binary,
            // PostgreSQL's "C") is the ordinal order. The ids that start with the prefix are the ordinal range [prefix,
            // prefix with its last character incremented): the id indexes seek straight to it on both providers. Not
            // LIKE: SQLite's ignores ASCII case, and '_' and '%' would need escaping.
            var end = idPrefix[..^1] + (char)(idPrefix[^1] + 1);
            query = query.Where(w => w.Id.CompareTo(idPrefix) >= 0 && w.Id.CompareTo(end) < 0);
        }

        if (after is { } afterId)
        {
            query = query.Where(w => w.Id.CompareTo(afterId.Value) > 0);
        }

        return query;
    }

    /// <summary>Runs one change and appends its event, in one transaction that holds the journal's lock; a change that
    /// changed nothing (it returns no event) is rolled back.</summary>
    private async Task<bool> JournaledAsync(Func<Task<WorkerEventEntity?>> change, CancellationToken cancellationToken)
    {
        await using var transaction = await Journal.BeginAsync(db, cancellationToken);
        if (await change() is not { } recorded)
        {
            return false;
        }

        await Journal.AppendAsync(db, [recorded], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        journal.Pulse();
        return true;
    }
}
