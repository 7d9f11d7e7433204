namespace WorkerFleet.Client.Agent;

/// <summary>The agent's status, written only by the agent: one immutable snapshot, replaced whole, so each property
/// reads a value that was true at some moment.</summary>
internal sealed class AgentStatus(string workerId) : IWorkerFleetAgentStatus
{
    private readonly Lock _lock = new();
    private volatile Snapshot _current = new(WorkerFleetAgentState.Starting, null, null, null, null);

    public event EventHandler? Changed;

    public string WorkerId => workerId;

    public WorkerFleetAgentState State => _current.State;

    public DateTimeOffset? LastHeartbeatAt => _current.LastHeartbeatAt;

    public WorkerStatus? WorkerStatus => _current.WorkerStatus;

    public string? LastError => _current.LastError;

    public DateTimeOffset? NextAttemptAt => _current.NextAttemptAt;

    public void Heartbeat(HeartbeatReceipt receipt) => Update(now => now with
    {
        State = WorkerFleetAgentState.Heartbeating,
        LastHeartbeatAt = receipt.ReceivedAt,
        WorkerStatus = receipt.Status,
        LastError = null,
    });

    public void Enter(WorkerFleetAgentState state, string? error) => Update(now => now with { State = state, LastError = error });

    public void Attempting() => Update(now => now with { NextAttemptAt = null });

    public void Waiting(DateTimeOffset until) => Update(now => now with { NextAttemptAt = until });

    private void Update(Func<Snapshot, Snapshot> change)
    {
        lock (_lock)
        {
            _current = change(_current);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private sealed record Snapshot(
        WorkerFleetAgentState State,
        DateTimeOffset? LastHeartbeatAt,
        WorkerStatus? WorkerStatus,
        string? LastError,
        DateTimeOffset? NextAttemptAt);
}
