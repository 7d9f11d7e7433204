using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Events;

/// <summary>Reads and retention of the journal; the changes write it (see <see cref="Journal"/>).</summary>
internal sealed class EventJournal(WorkerFleetDbContext db, JournalSignal signal) : IEventJournal
{
    public Task NextLocalAppend => signal.Next;

    public async Task<IReadOnlyList<WorkerEvent>> ReadAfterAsync(long after, int take, CancellationToken cancellationToken)
    {
        var rows = await db.ReadStrategy().ExecuteAsync(
            token => db.WorkerEvents.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(take).ToListAsync(token),
            cancellationToken);
        return [.. rows.Select(e => e.ToEvent())];
    }

    public async Task<IReadOnlyList<WorkerEvent>> ReadForWorkerAsync(WorkerId id, long? before, int take, CancellationToken cancellationToken)
    {
        var query = db.WorkerEvents.AsNoTracking().Where(e => e.WorkerId == id.Value);
        if (before is { } sequence)
        {
            query = query.Where(e => e.Sequence < sequence);
        }

        var rows = await db.ReadStrategy().ExecuteAsync(
            token => query.OrderByDescending(e => e.Sequence).Take(take).ToListAsync(token), cancellationToken);
        return [.. rows.Select(e => e.ToEvent())];
    }

    public async Task<JournalBounds> BoundsAsync(CancellationToken cancellationToken)
    {
        var bounds = await db.ReadStrategy().ExecuteAsync(
            token => db.EventRetention
                .Where(r => r.Id == EventRetentionEntity.TheRow)
                .Select(r => new { r.DeletedThrough, Latest = db.WorkerEvents.Max(e => (long?)e.Sequence) })
                .SingleAsync(token),
            cancellationToken);
        // Retention may have deleted every event; the latest sequence written is then its boundary.
        return new JournalBounds(bounds.DeletedThrough, Math.Max(bounds.DeletedThrough, bounds.Latest ?? 0));
    }

    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        // Deleted by sequence up to the newest expired event, so "everything up to deleted_through is gone" is exact
        // even where commit order and the events' times disagree by a few milliseconds.
        var at = cutoff.UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var through = await db.WorkerEvents.Where(e => e.At < at).MaxAsync(e => (long?)e.Sequence, cancellationToken);
        if (through is not { } boundary)
        {
            return 0;
        }

        var deleted = await db.WorkerEvents.Where(e => e.Sequence <= boundary).ExecuteDeleteAsync(cancellationToken);
        await db.EventRetention
            .Where(r => r.Id == EventRetentionEntity.TheRow && r.DeletedThrough < boundary)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.DeletedThrough, boundary), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }
}
