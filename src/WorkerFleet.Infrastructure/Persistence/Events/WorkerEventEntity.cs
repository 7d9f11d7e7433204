using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Events;

/// <summary>A row of <c>worker_events</c>. Type and trigger are stored by their wire names; timestamps are UTC.</summary>
internal sealed class WorkerEventEntity
{
    /// <summary>Assigned by the database as the row is inserted, under the journal's write lock (see <see cref="Journal"/>).</summary>
    public long Sequence { get; set; }

    public DateTime At { get; set; }

    public required string WorkerId { get; set; }

    public required string Type { get; set; }

    public WorkerStatus? FromStatus { get; set; }

    public WorkerStatus? ToStatus { get; set; }

    public string? Trigger { get; set; }

    public required string Actor { get; set; }

    public DateTime? LastHeartbeatAt { get; set; }

    public DateTime? Cutoff { get; set; }

    public string? Note { get; set; }

    /// <summary>An event without heartbeat facts: every kind but a scheduled status change, whose rows the sweeps'
    /// SQL writes itself.</summary>
    public static WorkerEventEntity Of(
        WorkerEventType type, string workerId, Change change, WorkerStatus? from = null, WorkerStatus? to = null, TransitionTrigger? trigger = null,
        string? note = null) => new()
    {
        At = change.At.UtcDateTime,
        WorkerId = workerId,
        Type = WorkerEvent.NameOf(type),
        FromStatus = from,
        ToStatus = to,
        Trigger = trigger is { } by ? WorkerEvent.NameOf(by) : null,
        Actor = change.Actor,
        Note = note,
    };

    public WorkerEvent ToEvent() => new(
        Sequence,
        WorkerEntity.AsUtc(At),
        Domain.Workers.WorkerId.From(WorkerId),
        WorkerEvent.TypeNamed(Type),
        FromStatus,
        ToStatus,
        Trigger is null ? null : WorkerEvent.TriggerNamed(Trigger),
        Actor,
        LastHeartbeatAt is { } last ? WorkerEntity.AsUtc(last) : null,
        Cutoff is { } cutoff ? WorkerEntity.AsUtc(cutoff) : null,
        Note);
}

/// <summary>The one row of <c>worker_event_retention</c>: the highest sequence retention has deleted. Every event at or
/// below it is gone, every event above it is kept, so a reader behind it can be told it missed events.</summary>
internal sealed class EventRetentionEntity
{
    public const int TheRow = 1;

    public int Id { get; set; }

    public long DeletedThrough { get; set; }
}
