using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>What both registration writers share: the rows a batch inserts, their events, and each caller's answer.</summary>
internal static class NewRegistrations
{
    /// <summary>One row per id: of an id registered twice in the batch, the first registration is the one written.</summary>
    public static IReadOnlyList<NewRegistration> Of(IReadOnlyList<NewRegistration> batch) =>
        batch.DistinctBy(r => r.Worker.Id.Value, StringComparer.Ordinal).ToList();

    /// <summary>The <c>registered</c> events of the rows that were inserted, in batch order.</summary>
    public static IReadOnlyList<WorkerEventEntity> Events(IReadOnlyList<NewRegistration> rows, IReadOnlySet<string> inserted) =>
        rows.Where(r => inserted.Contains(r.Worker.Id.Value))
            .Select(r => WorkerEventEntity.Of(
                WorkerEventType.Registered, r.Worker.Id.Value, new Change(r.Worker.RegisteredAt, r.Actor), to: r.Worker.Status))
            .ToList();

    /// <summary>Once a batch committed: wakes this process's followers of the journal when it registered anyone.</summary>
    public static void Committed(JournalSignal journal, IReadOnlySet<string> inserted)
    {
        if (inserted.Count > 0)
        {
            journal.Pulse();
        }
    }

    /// <summary>True for the first registration of each id whose row was inserted; false for an id that was stored
    /// already, and for the later registrations of an id registered twice in the batch.</summary>
    public static IReadOnlyList<bool> Answers(IReadOnlyList<NewRegistration> batch, IReadOnlySet<string> inserted)
    {
        var answered = new HashSet<string>(StringComparer.Ordinal);
        return batch.Select(r => inserted.Contains(r.Worker.Id.Value) && answered.Add(r.Worker.Id.Value)).ToList();
    }
}
