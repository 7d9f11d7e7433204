using System.Globalization;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Moves every Active worker without a heartbeat within the timeout to Offline; returns the ids it moved.
/// It moves none during the grace period after start-up or a storage outage, and none when so many would go at once
/// that the registry itself is the likelier failure (mass-failure protection; see <see cref="LifecycleOptions"/>).</summary>
public sealed record MarkStaleWorkersOffline : IRequest<Result<IReadOnlyList<WorkerId>>>;

internal sealed class MarkStaleWorkersOfflineHandler(
    IWorkerRepository workers,
    TimeProvider timeProvider,
    IOptions<LifecycleOptions> options,
    AlarmBoard alarms,
    StorageWatch storage,
    ILogger<MarkStaleWorkersOfflineHandler> logger)
    : IRequestHandler<MarkStaleWorkersOffline, Result<IReadOnlyList<WorkerId>>>
{
    public async Task<Result<IReadOnlyList<WorkerId>>> Handle(MarkStaleWorkersOffline request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = timeProvider.GetStorableUtcNow();
        var cutoff = now - settings.HeartbeatTimeout;

        // Counted before the grace check, so even a sweep that waits has asked storage and reports its state truly.
        // The stale count is an index range; counting the whole Active fleet is paid only when something is stale.
        var stale = await workers.CountSweepCandidatesAsync(LifecycleSweep.StaleDetection, cutoff, cancellationToken);
        if (stale == 0)
        {
            alarms.Clear(Alarm.MassFailure);
            return Result<IReadOnlyList<WorkerId>>.Success([]);
        }

        var active = await workers.CountAsync(WorkerStatus.Active, cancellationToken);
        var graceEndsAt = storage.GraceEndsAt(settings.HeartbeatTimeout);
        if (now < graceEndsAt)
        {
            logger.LogInformation("Stale detection waits until {GraceEndsAt:O}: workers could not reach us while we were starting or down", graceEndsAt);
            return Result<IReadOnlyList<WorkerId>>.Success([]);
        }

        if (active >= settings.MassFailureMinimumFleet && (double)stale / active > settings.MassFailureThreshold
            && !alarms.TryTakeMassFailureOverride())
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"{stale} of {active} Active workers have no recent heartbeat, more than the {settings.MassFailureThreshold:P0} threshold: none is marked Offline until fewer are stale or an operator overrides.");
            alarms.Raise(Alarm.MassFailure, message, now);
            logger.LogWarning("Mass-failure protection: {Message}", message);
            return Result<IReadOnlyList<WorkerId>>.Success([]);
        }

        alarms.Clear(Alarm.MassFailure);
        return Result<IReadOnlyList<WorkerId>>.Success(await workers.ApplySweepAsync(LifecycleSweep.StaleDetection, cutoff, cancellationToken));
    }
}
