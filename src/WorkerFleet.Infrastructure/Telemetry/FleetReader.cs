using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.Workers;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.Telemetry;

/// <summary>Reads the fleet for the gauges and the heartbeat pacing every <see cref="MetricsOptions.FleetReadingInterval"/>:
/// workers by status and region, the held regions and, while anything listens to it, the Active workers' heartbeat
/// ages. The database is the one source of truth, so every instance of a cluster reports the same fleet and paces its
/// workers alike. A reading that fails keeps the
/// last one and is tried again at the next interval; storage outages have their own gauge.</summary>
internal sealed class FleetReader(
    IServiceScopeFactory scopes, FleetMetrics metrics, HeartbeatPacer pacer, TimeProvider timeProvider, IOptions<MetricsOptions> options,
    IOptions<LifecycleOptions> lifecycle, ILogger<FleetReader> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.FleetReadingInterval, timeProvider);
        do
        {
            try
            {
                var reading = await ReadAsync(stoppingToken);
                metrics.Observe(reading);
                pacer.Observe(reading.Workers.Sum(count => count.Count));
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogDebug(exception, "The fleet could not be read for the metrics; the gauges and the pacing keep the last reading");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One reading, from one scope's database context.</summary>
    internal async Task<FleetReading> ReadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
        var workers = await db.Workers.AsNoTracking()
            .GroupBy(w => new { w.Status, w.Region })
            .Select(g => new { g.Key.Status, g.Key.Region, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var held = await db.MassFailureHolds.AsNoTracking().Select(h => h.Region).ToListAsync(cancellationToken);
        var ages = metrics.HeartbeatAgesObserved ? await ReadHeartbeatAgesAsync(db, cancellationToken) : [];
        return new FleetReading(
            timeProvider.GetUtcNow(),
            [.. workers.Select(w => new StatusRegionCount(w.Status, w.Region, w.Count))],
            held,
            [.. ages.Select(a => (a.Share, a.Workers))]);
    }

    private async Task<List<HeartbeatAge>> ReadHeartbeatAgesAsync(WorkerFleetDbContext db, CancellationToken cancellationToken)
    {
        // The age in seconds; the share is capped at 10 timeouts, so a long hold cannot grow the groups without bound.
        var age = db.Database.IsNpgsql()
            ? "extract(epoch FROM {0} - last_heartbeat_at)"
            : "({0} - last_heartbeat_at) / 10000000.0";
        var sql = $$"""
            SELECT CAST(round(CAST(CASE WHEN {{age}} / {1} > 10 THEN 10 ELSE {{age}} / {1} END AS numeric), 2) AS double precision) AS share,
                   CAST(count(*) AS INTEGER) AS workers
            FROM workers WHERE status = {2} AND last_heartbeat_at IS NOT NULL
            GROUP BY 1
            """;
        return await db.ReadAsync(
            sql,
            [timeProvider.GetUtcNow().UtcDateTime, lifecycle.Value.HeartbeatTimeout.TotalSeconds, nameof(WorkerStatus.Active)],
            row => new HeartbeatAge(row.GetDouble(0), row.GetInt32(1)),
            cancellationToken);
    }

    private sealed record HeartbeatAge(double Share, int Workers);
}
