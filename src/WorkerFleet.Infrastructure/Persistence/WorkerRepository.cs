using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>Registrations are written in batches by the process's group commit (the writers in <c>Registrations</c>); the rest here.</summary>
internal sealed class WorkerRepository(WorkerFleetDbContext db, GroupCommit<Worker, bool> registrations) : IWorkerRepository
{
    public Task<bool> TryAddAsync(Worker worker, CancellationToken cancellationToken) =>
        registrations.SubmitAsync(worker, cancellationToken);

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

    public async Task<bool> RemoveAsync(WorkerId id, string? tokenHash, CancellationToken cancellationToken) =>
        await db.Workers
            .Where(w => w.Id == id.Value && (tokenHash == null || w.TokenHash == tokenHash))
            .ExecuteDeleteAsync(cancellationToken) > 0;

    public async Task<bool> TryReplaceTokenAsync(WorkerId id, string tokenHash, CancellationToken cancellationToken) =>
        await db.Workers
            .Where(w => w.Id == id.Value)
            .ExecuteUpdateAsync(set => set.SetProperty(w => w.TokenHash, tokenHash), cancellationToken) == 1;

    public async Task<bool> TrySaveStatusAsync(Worker worker, long expectedVersion, CancellationToken cancellationToken) =>
        await db.Workers
            .Where(w => w.Id == worker.Id.Value && w.Version == expectedVersion)
            .ExecuteUpdateAsync(
                set => set.SetProperty(w => w.Status, worker.Status).SetProperty(w => w.Version, worker.Version),
                cancellationToken) == 1;

    public Task<IReadOnlyList<WorkerId>> ApplySweepAsync(LifecycleSweep sweep, DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        SweepRules.MoveAsync(db, sweep, cutoff, exceptRegions: [], cancellationToken);

    public Task<IReadOnlyDictionary<WorkerStatus, int>> CountByStatusAsync(CancellationToken cancellationToken) =>
        db.ReadStrategy().ExecuteAsync(async token => (IReadOnlyDictionary<WorkerStatus, int>)await db.Workers
            .GroupBy(w => w.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Status, g => g.Count, token), cancellationToken);

    public async Task<IReadOnlyList<Worker>> ListAsync(
        WorkerStatus? status, string? idPrefix, WorkerId? after, int take, CancellationToken cancellationToken)
    {
        var query = db.Workers.AsNoTracking();
        if (status is { } wanted)
        {
            query = query.Where(w => w.Status == wanted);
        }

        if (!string.IsNullOrEmpty(idPrefix))
        {
            // A prefix longer than any id, or with a character no id holds, starts no id. Past this check the prefix
            // is ASCII, where both databases' id order (SQLite's binary, PostgreSQL's "C") is the ordinal order.
            if (!WorkerId.IsValidPrefix(idPrefix))
            {
                return [];
            }

            // The ids that start with the prefix are the ordinal range [prefix, prefix with its last character
            // incremented): the id indexes seek straight to it on both providers. Not LIKE: SQLite's ignores ASCII
            // case, and '_' and '%' would need escaping.
            var end = idPrefix[..^1] + (char)(idPrefix[^1] + 1);
            query = query.Where(w => w.Id.CompareTo(idPrefix) >= 0 && w.Id.CompareTo(end) < 0);
        }

        if (after is { } afterId)
        {
            query = query.Where(w => w.Id.CompareTo(afterId.Value) > 0);
        }

        var page = await db.ReadStrategy().ExecuteAsync(token => query.OrderBy(w => w.Id).Take(take).ToListAsync(token), cancellationToken);
        return page.Select(w => w.ToWorker()).ToList();
    }
}
