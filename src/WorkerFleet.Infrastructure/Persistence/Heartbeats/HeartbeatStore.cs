using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>Heartbeats are written by the process's group commit; history is read here.</summary>
internal sealed class HeartbeatStore(WorkerFleetDbContext db, GroupCommit<HeartbeatWrite, WorkerStatus?> heartbeats) : IHeartbeatStore
{
    public Task<WorkerStatus?> RecordAsync(
        WorkerId id, string tokenHash, DateTimeOffset receivedAt, int historySize, CancellationToken cancellationToken) =>
        heartbeats.SubmitAsync(new HeartbeatWrite(id, tokenHash, receivedAt.UtcDateTime, historySize), cancellationToken);

    public async Task<IReadOnlyList<DateTimeOffset>?> GetHistoryAsync(WorkerId id, int limit, int historySize, CancellationToken cancellationToken)
    {
        var recorded = await db.ReadStrategy().ExecuteAsync(
            token => db.Workers.Where(w => w.Id == id.Value).Select(w => (long?)w.HeartbeatsRecorded).SingleOrDefaultAsync(token),
            cancellationToken);
        if (recorded is null)
        {
            return null;
        }

        // Slots left over from a larger history size hold older numbers; only the newest historySize count.
        var oldestRetained = recorded.Value - historySize;
        var times = await db.ReadStrategy().ExecuteAsync(
            token => db.Heartbeats.AsNoTracking()
                .Where(h => h.WorkerId == id.Value && h.Sequence > oldestRetained)
                .OrderByDescending(h => h.Sequence)
                .Take(limit)
                .Select(h => h.ReceivedAt)
                .ToListAsync(token),
            cancellationToken);
        return times.Select(WorkerEntity.AsUtc).ToList();
    }
}
