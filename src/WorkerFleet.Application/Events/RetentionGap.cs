namespace WorkerFleet.Application.Events;

/// <summary>Whether a reader missed events that retention deleted, from a page it read and the retention boundary read
/// just after it. If retention deleted events above the reader's position before the page was read, nothing at or below
/// the boundary is left and the page starts above it (or is empty); if it deleted them after, the page holds them and
/// starts at or below the boundary, and the reader missed nothing. A reader after 0 asks for what is kept, from the
/// oldest event: it misses nothing it could have had.</summary>
internal static class RetentionGap
{
    public static bool Missed(long after, IReadOnlyList<WorkerEvent> page, long deletedThrough) =>
        after > 0 && deletedThrough > after && (page.Count == 0 || page[0].Sequence > deletedThrough);
}
