using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Behaviours;

namespace WorkerFleet.Application.Alarms.Queries;

/// <summary>The active alarms, oldest first, and the armed overrides. Mass-failure alarms and overrides are stored, so
/// every instance answers the same; the storage alarm is this instance's own, and while storage does not answer it is
/// the only one this instance can show.</summary>
public sealed record GetAlarms : IRequest<Result<AlarmsReport>>, IServedFromMemory;

/// <summary>The alarms and overrides operators see.</summary>
/// <param name="Alarms">The active alarms, oldest first.</param>
/// <param name="Overrides">The overrides armed and neither used nor expired.</param>
public sealed record AlarmsReport(IReadOnlyList<Alarm> Alarms, IReadOnlyList<MassFailureOverride> Overrides);

internal sealed class GetAlarmsHandler(ILifecycleControl control, StorageWatch storage, TimeProvider timeProvider, IOptions<LifecycleOptions> options)
    : IRequestHandler<GetAlarms, Result<AlarmsReport>>
{
    public async Task<Result<AlarmsReport>> Handle(GetAlarms request, CancellationToken cancellationToken)
    {
        ControlState state;
        try
        {
            state = await control.ReadAsync(timeProvider.GetUtcNow(), cancellationToken);
        }
        catch (Exception exception) when (StorageFailure.IsTransient(exception))
        {
            // The alarms health check must still tell monitoring that storage is down.
            storage.Failed();
            state = new ControlState([], []);
        }

        IEnumerable<Alarm> alarms = state.Held.Select(hold => Alarm.Of(hold, options.Value.MassFailureThreshold));
        if (storage.Alarm is { } down)
        {
            alarms = alarms.Append(down);
        }

        return new AlarmsReport([.. alarms.OrderBy(a => a.Since)], state.Overrides);
    }
}
