using WorkerFleet.Application.Events;
using WorkerFleet.Application.Events.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.WebApi.Contracts;

public sealed record EventResponse(
    long Sequence,
    DateTime At,
    string WorkerId,
    string Type,
    WorkerStatus? From,
    WorkerStatus? To,
    string? Trigger,
    string Actor,
    string Reason,
    DateTime? LastHeartbeatAt,
    DateTime? Cutoff)
{
    public static EventResponse Of(WorkerEvent e) => new(
        e.Sequence,
        e.At.UtcDateTime,
        e.WorkerId.Value,
        WorkerEvent.NameOf(e.Type),
        e.From,
        e.To,
        e.Trigger is { } trigger ? WorkerEvent.NameOf(trigger) : null,
        e.Actor,
        e.Reason,
        e.LastHeartbeatAt?.UtcDateTime,
        e.Cutoff?.UtcDateTime);
}

public sealed record EventPageResponse(IReadOnlyList<EventResponse> Items, long NextAfter, long Latest)
{
    public static EventPageResponse From(EventPage page) => new([.. page.Items.Select(EventResponse.Of)], page.NextAfter, page.Latest);
}
