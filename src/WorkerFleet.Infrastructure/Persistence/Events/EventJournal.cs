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

    public Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var at = cutoff.UtcDateTime;
        return db.WorkerEvents.Where(e => e.At < at).ExecuteDeleteAsync(cancellationToken);
    }
}
