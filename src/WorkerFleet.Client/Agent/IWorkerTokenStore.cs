namespace WorkerFleet.Client.Agent;

/// <summary>Where the agent keeps its worker's token between registrations and restarts. The agent registers a
/// file-backed store when <see cref="WorkerFleetAgentOptions.TokenPath"/> is set and an in-memory one otherwise; a
/// host can register its own (a secret store, for example) before or after <c>AddWorkerFleetAgent</c>.</summary>
public interface IWorkerTokenStore
{
    /// <summary>The token kept, or null when there is none. The agent reads it at start and, while the service refuses
    /// its token, every <see cref="WorkerFleetAgentOptions.MaximumBackoff"/> until it yields a different one.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The token, or null.</returns>
    ValueTask<WorkerToken?> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Keeps a token the service just issued to the worker, replacing the one kept.</summary>
    /// <param name="token">The new token.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the token is kept.</returns>
    ValueTask WriteAsync(WorkerToken token, CancellationToken cancellationToken);
}
