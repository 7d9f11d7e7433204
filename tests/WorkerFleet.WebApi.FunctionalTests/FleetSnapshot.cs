using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Everything a request could change, read straight from the database: each worker's row (status, version,
/// token hash, heartbeat counters) and every retained heartbeat. Two equal snapshots mean nothing changed.</summary>
internal static class FleetSnapshot
{
    public static async Task<string> TakeAsync(WorkerFleetApi api)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
        var workers = await db.Workers.AsNoTracking().OrderBy(w => w.Id)
            .Select(w => $"{w.Id}|{w.Region}|{w.Capacity}|{w.Status}|{w.Version}|{w.TokenHash}|{w.HeartbeatsRecorded}|{w.LastHeartbeatAt:O}")
            .ToListAsync();
        var heartbeats = await db.Heartbeats.AsNoTracking().OrderBy(h => h.WorkerId).ThenBy(h => h.Slot)
            .Select(h => $"{h.WorkerId}|{h.Slot}|{h.Sequence}|{h.ReceivedAt:O}")
            .ToListAsync();
        return string.Join('\n', workers.Concat(heartbeats));
    }
}
