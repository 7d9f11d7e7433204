using System.Collections.Frozen;
using System.Globalization;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Events;

/// <summary>One change of one worker, as the journal keeps it. Heartbeats are not events.</summary>
/// <param name="Sequence">Its place in the journal: strictly increasing, in the order the changes committed.</param>
/// <param name="At">When the change was made (UTC).</param>
/// <param name="WorkerId">The worker.</param>
/// <param name="Type">What happened.</param>
/// <param name="From">The status before, for a status change or an unregistration.</param>
/// <param name="To">The status after, for a registration or a status change.</param>
/// <param name="Trigger">Who moved the worker, for a status change.</param>
/// <param name="Actor">Who made the change: the kind of credential used, the worker itself, or the job that ran.</param>
/// <param name="LastHeartbeatAt">For a scheduled status change: the worker's last heartbeat, or null when it had none.</param>
/// <param name="Cutoff">For a scheduled status change: the heartbeat cutoff (the job's time − heartbeat timeout).</param>
/// <param name="Note">What the operator said, for a cordon or its end; null when nothing was said.</param>
public sealed record WorkerEvent(
    long Sequence,
    DateTimeOffset At,
    WorkerId WorkerId,
    WorkerEventType Type,
    WorkerStatus? From,
    WorkerStatus? To,
    TransitionTrigger? Trigger,
    string Actor,
    DateTimeOffset? LastHeartbeatAt,
    DateTimeOffset? Cutoff,
    string? Note = null)
{
    /// <summary>Why it happened, in a sentence for people.</summary>
    public string Reason => Type switch
    {
        WorkerEventType.Registered => Say($"Registered by {Actor}."),
        WorkerEventType.TokenRotated => Say($"Token rotated by {Actor}: the previous token no longer works."),
        WorkerEventType.Unregistered => Say($"Unregistered by {Actor} while {From}."),
        WorkerEventType.Cordoned => Say($"Taken out of scheduling by {Actor}{Noted}."),
        WorkerEventType.Uncordoned => Say($"Returned to scheduling by {Actor}{Noted}."),
        _ when Trigger is TransitionTrigger.StaleDetection => LastHeartbeatAt is { } last
            ? Say($"Last heartbeat {last:O} is before the cutoff {Cutoff:O}.")
            : Say($"No heartbeat since registering, and the cutoff is {Cutoff:O}."),
        _ when Trigger is TransitionTrigger.Activation or TransitionTrigger.Reactivation =>
            Say($"Heartbeat {LastHeartbeatAt:O} is at or after the cutoff {Cutoff:O}."),
        _ => Say($"Set to {To} by {Actor}."),
    };

    /// <summary>The name of an event type on the wire and in storage: <c>registered</c>, <c>status-changed</c>,
    /// <c>token-rotated</c>, <c>unregistered</c>, <c>cordoned</c>, <c>uncordoned</c>.</summary>
    public static string NameOf(WorkerEventType type) => TypeNames[type];

    /// <summary>The name of a trigger on the wire and in storage: <c>activation</c>, <c>stale-detection</c>,
    /// <c>reactivation</c>, <c>operator</c>.</summary>
    public static string NameOf(TransitionTrigger trigger) => TriggerNames[trigger];

    /// <summary>The event type of a name <see cref="NameOf(WorkerEventType)"/> gives.</summary>
    public static WorkerEventType TypeNamed(string name) => TypesByName[name];

    /// <summary>The trigger of a name <see cref="NameOf(TransitionTrigger)"/> gives.</summary>
    public static TransitionTrigger TriggerNamed(string name) => TriggersByName[name];

    /// <summary>The actor of the events a scheduled sweep writes: its job.</summary>
    public static string JobActor(LifecycleSweep sweep) => $"{NameOf(sweep.Trigger)} job";

    // Every event read or sent names its type and trigger: the names are worked out once, not per event.
    private static readonly FrozenDictionary<WorkerEventType, string> TypeNames =
        Enum.GetValues<WorkerEventType>().ToFrozenDictionary(t => t, t => Kebab(t.ToString()));

    private static readonly FrozenDictionary<TransitionTrigger, string> TriggerNames =
        Enum.GetValues<TransitionTrigger>().ToFrozenDictionary(t => t, t => Kebab(t.ToString()));

    private static readonly FrozenDictionary<string, WorkerEventType> TypesByName =
        TypeNames.ToFrozenDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, TransitionTrigger> TriggersByName =
        TriggerNames.ToFrozenDictionary(e => e.Value, e => e.Key, StringComparer.Ordinal);

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private string Noted => Note is null ? "" : $": {Note}";

    private static string Say(FormattableString sentence) => sentence.ToString(CultureInfo.InvariantCulture);
}
