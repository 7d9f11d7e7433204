using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Heartbeats;

/// <summary>One heartbeat to record, if <paramref name="TokenHash"/> is its worker's current token.</summary>
/// <param name="Id">The worker.</param>
/// <param name="TokenHash">The hash of the presented token.</param>
/// <param name="ReceivedAt">UTC.</param>
/// <param name="HistorySize">How many of the worker's heartbeats the history keeps.</param>
internal sealed record HeartbeatWrite(WorkerId Id, string TokenHash, DateTime ReceivedAt, int HistorySize) : IBatchedWrite
{
    public static string Kind => "heartbeats";
}
