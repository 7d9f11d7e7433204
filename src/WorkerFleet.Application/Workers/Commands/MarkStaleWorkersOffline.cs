using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Moves every Active worker without a heartbeat within the timeout to Offline; returns the ids it moved.
/// It moves none during the grace period after an instance starts or storage comes back, and none in a region where
/// so many would go at once that the registry or the network is the likelier failure (mass-failure protection, judged
/// per region; see <see cref="LifecycleOptions"/>).</summary>
public sealed record MarkStaleWorkersOffline : IRequest<Result<IReadOnlyList<WorkerId>>>;

internal sealed class MarkStaleWorkersOfflineHandler(
    ILifecycleControl control,
    TimeProvider timeProvider,
    IOptions<LifecycleOptions> options,
    StorageWatch storage,
    FleetMetrics metrics,
    ILogger<MarkStaleWorkersOfflineHandler> logger)
    : IRequestHandler<MarkStaleWorkersOffline, Result<IReadOnlyList<WorkerId>>>
{
    public async Task<Result<IReadOnlyList<WorkerId>>> Handle(MarkStaleWorkersOffline request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetStorableUtcNow();
        var outcome = await control.DetectStaleAsync(
            new StaleDetectionRun(now, now - settings.HeartbeatTimeout, storage.GraceStartsAt,
                settings.MassFailureThreshold, settings.MassFailureMinimumFleet, WorkerEvent.JobActor(LifecycleSweep.StaleDetection)),
            cancellationToken);

        var sweep = LifecycleSweep.StaleDetection;
        metrics.Moved(sweep.From, sweep.To, sweep.Trigger, outcome.MarkedOffline.Count);
        if (outcome.WaitingUntil is { } graceEndsAt)
        {
            logger.LogInformation("Stale detection waits until {GraceEndsAt:O}: workers could not reach us while an instance was starting or storage was down", graceEndsAt);
        }

        foreach (var used in outcome.OverridesUsed)
        {
            logger.LogWarning("Mass-failure override armed by {ArmedBy} at {ArmedAt:O} for {Region} used: the held workers go Offline",
                used.ArmedBy, used.ArmedAt, used.Region ?? "every held region");
        }

        foreach (var hold in outcome.Held)
        {
            logger.LogWarning("Mass-failure protection: {Message}", Alarm.Of(hold, settings.MassFailureThreshold).Message);
        }

        return Result<IReadOnlyList<WorkerId>>.Success(outcome.MarkedOffline);
    }
}
