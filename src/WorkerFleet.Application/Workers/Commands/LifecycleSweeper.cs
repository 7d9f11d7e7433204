using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Runs one lifecycle sweep against the heartbeat cutoff of now − timeout.</summary>
internal sealed class LifecycleSweeper(
    IWorkerRepository workers, TimeProvider timeProvider, IOptions<LifecycleOptions> options, FleetMetrics metrics)
{
    public async Task<Result<IReadOnlyList<WorkerId>>> RunAsync(LifecycleSweep sweep, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetStorableUtcNow();
        var change = new Change(now, WorkerEvent.JobActor(sweep));
        var moved = await workers.ApplySweepAsync(sweep, now - options.Value.HeartbeatTimeout, change, cancellationToken);
        metrics.Moved(sweep.From, sweep.To, sweep.Trigger, moved.Count);
        return Result<IReadOnlyList<WorkerId>>.Success(moved);
    }
}
