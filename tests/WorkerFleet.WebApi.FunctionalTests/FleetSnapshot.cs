using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>Everything a request could change, read straight from the database: each worker's row (configuration,
/// status, cordon, version, token hash, heartbeat counters), every retained heartbeat and the number of journal
/// events. Two equal snapshots mean nothing changed.</summary>
internal static class FleetSnapshot
{
    public static async Task<string> TakeAsync(WorkerFleetApi api)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
        var workers = await db.Workers.AsNoTracking().OrderBy(w => w.Id)
            .Select(w => new { w.Id, w.Region, w.Capacity, w.Capabilities, w.Metadata, w.Status, w.Schedulable, w.Version, w.TokenHash, w.HeartbeatsRecorded, w.LastHeartbeatAt })
            .ToListAsync();
        var rows = workers.Select(w => $"{w.Id}|{w.Region}|{w.Capacity}|{string.Join(',', w.Capabilities)}|"
            + $"{string.Join(',', w.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}"))}|{w.Status}|{w.Schedulable}|"
            + $"{w.Version}|{w.TokenHash}|{w.HeartbeatsRecorded}|{w.LastHeartbeatAt:O}");
        var heartbeats = await db.Heartbeats.AsNoTracking().OrderBy(h => h.WorkerId).ThenBy(h => h.Slot)
            .Select(h => $"{h.WorkerId}|{h.Slot}|{h.Sequence}|{h.ReceivedAt:O}")
            .ToListAsync();
        var events = await db.WorkerEvents.AsNoTracking().CountAsync();
        return string.Join('\n', rows.Concat(heartbeats).Append($"events: {events}"));
    }
}
