using Microsoft.EntityFrameworkCore;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>A batch of registrations in one transaction: an id already stored, or taken earlier in the same batch, is
/// refused (false); the others are inserted by one <c>SaveChanges</c>, which EF Core sends as one batch of INSERTs.</summary>
internal sealed class RegistrationBatchWriter : IBatchWriter<Worker, bool>
{
    public async Task<IReadOnlyList<bool>> WriteAsync(WorkerFleetDbContext db, IReadOnlyList<Worker> batch, CancellationToken cancellationToken)
    {
        var ids = batch.Select(w => w.Id.Value).Distinct(StringComparer.Ordinal).ToList();
        var taken = (await db.Workers.Where(w => ids.Contains(w.Id)).Select(w => w.Id).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var added = new bool[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            if (taken.Add(batch[i].Id.Value))
            {
                db.Workers.Add(WorkerEntity.From(batch[i]));
                added[i] = true;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        catch (DbUpdateException)
        {
            // Another instance registered one of these ids between our check and our insert, and nothing of the batch
            // was committed: one at a time, each registration gets its own answer.
            db.ChangeTracker.Clear();
            for (var i = 0; i < batch.Count; i++)
            {
                added[i] = added[i] && await TryAddOneAsync(db, batch[i], cancellationToken);
            }

            return added;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static async Task<bool> TryAddOneAsync(WorkerFleetDbContext db, Worker worker, CancellationToken cancellationToken)
    {
        db.Workers.Add(WorkerEntity.From(worker));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            if (await db.Workers.AnyAsync(w => w.Id == worker.Id.Value, cancellationToken))
            {
                return false;
            }

            throw;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
