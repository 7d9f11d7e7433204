using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Registrations;

/// <summary>What both registration writers share: the rows a batch inserts, and each caller's answer.</summary>
internal static class NewRegistrations
{
    /// <summary>One row per id: of an id registered twice in the batch, the first registration is the one written.</summary>
    public static IReadOnlyList<WorkerEntity> Of(IReadOnlyList<Worker> batch) =>
        batch.DistinctBy(w => w.Id.Value, StringComparer.Ordinal).Select(WorkerEntity.From).ToList();

    /// <summary>True for the first registration of each id whose row was inserted; false for an id that was stored
    /// already, and for the later registrations of an id registered twice in the batch.</summary>
    public static IReadOnlyList<bool> Answers(IReadOnlyList<Worker> batch, IReadOnlySet<string> inserted)
    {
        var answered = new HashSet<string>(StringComparer.Ordinal);
        return batch.Select(w => inserted.Contains(w.Id.Value) && answered.Add(w.Id.Value)).ToList();
    }
}
