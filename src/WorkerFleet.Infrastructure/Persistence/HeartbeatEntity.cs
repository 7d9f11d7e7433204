namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>A row of <c>worker_heartbeats</c>: one slot of a worker's ring of retained heartbeats.
/// Heartbeat number n (1-based) lives in slot (n − 1) mod history size, overwriting the oldest, so the
/// table never holds more than history size rows per worker and a write never scans.</summary>
internal sealed class HeartbeatEntity
{
    public required string WorkerId { get; set; }

    public int Slot { get; set; }

    /// <summary>The heartbeat's number for its worker; the retained ones are the newest history size of them.</summary>
    public long Sequence { get; set; }

    public DateTime ReceivedAt { get; set; }
}
