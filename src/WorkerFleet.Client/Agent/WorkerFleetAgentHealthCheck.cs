using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WorkerFleet.Client.Agent;

/// <summary>The agent's state as the host's health (check <c>workerfleet-agent</c>): healthy while heartbeating,
/// degraded while starting or retrying, unhealthy when only a person can help.</summary>
internal sealed class WorkerFleetAgentHealthCheck(IWorkerFleetAgentStatus status) : IHealthCheck
{
    public const string Name = "workerfleet-agent";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = status.State;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["workerId"] = status.WorkerId,
            ["state"] = state.ToString(),
        };
        if (status.LastHeartbeatAt is { } last)
        {
            data["lastHeartbeatAt"] = last.ToString("O", CultureInfo.InvariantCulture);
        }

        // A Failed worker still heartbeats, and its agent is healthy: the status says what the service thinks of it.
        if (status.WorkerStatus is { } workerStatus)
        {
            data["workerStatus"] = workerStatus.ToString();
        }

        var description = status.LastError ?? $"Worker {status.WorkerId}: {state}.";
        return Task.FromResult(new HealthCheckResult(StatusOf(state), description, data: data));
    }

    public static HealthStatus StatusOf(WorkerFleetAgentState state) => state switch
    {
        WorkerFleetAgentState.Heartbeating => HealthStatus.Healthy,
        WorkerFleetAgentState.Starting or WorkerFleetAgentState.BackingOff => HealthStatus.Degraded,
        _ => HealthStatus.Unhealthy,
    };
}
