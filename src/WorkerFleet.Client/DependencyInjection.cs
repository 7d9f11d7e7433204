using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WorkerFleet.Client.Agent;

namespace WorkerFleet.Client;

/// <summary>Adds the WorkerFleet client, or a worker's agent, to a host's services.</summary>
public static class DependencyInjection
{
    /// <summary>Registers <see cref="IWorkerFleetClient"/> as a typed client of <see cref="IHttpClientFactory"/>, with
    /// its options validated when the host starts.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the service's address, the key and the timeout.</param>
    /// <returns>The client's builder, to add handlers (a proxy, client certificates, resilience).</returns>
    public static IHttpClientBuilder AddWorkerFleetClient(this IServiceCollection services, Action<WorkerFleetClientOptions> configure)
    {
        services.AddOptions<WorkerFleetClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerFleetClientOptions>, WorkerFleetClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services.AddHttpClient<IWorkerFleetClient, WorkerFleetClient>((provider, http) =>
            http.Timeout = provider.GetRequiredService<IOptions<WorkerFleetClientOptions>>().Value.Timeout);
    }

    /// <summary>Registers the agent that runs this process as a worker: a hosted service that registers the worker
    /// when it holds no token, heartbeats at the service's pace, backs off while the service is unreachable, keeps the
    /// token in an <see cref="IWorkerTokenStore"/> (a file with <see cref="WorkerFleetAgentOptions.TokenPath"/>, else
    /// memory, unless the host registers its own), and unregisters on shutdown when asked to. Also registers
    /// <see cref="IWorkerFleetAgentStatus"/> and the health check <c>workerfleet-agent</c>. The options are validated
    /// when the host starts, and the agent refuses to start without a token or a registration key.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the worker and how to reach the service.</param>
    /// <returns>The builder of the agent's HTTP client, to add handlers.</returns>
    public static IHttpClientBuilder AddWorkerFleetAgent(this IServiceCollection services, Action<WorkerFleetAgentOptions> configure)
    {
        services.AddOptions<WorkerFleetAgentOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerFleetAgentOptions>, WorkerFleetAgentOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton(WorkerFleetAgent.RandomKey, Random.Shared);
        services.TryAddSingleton<IWorkerTokenStore>(provider =>
            provider.GetRequiredService<IOptions<WorkerFleetAgentOptions>>().Value.TokenPath is { Length: > 0 } path
                ? new FileWorkerTokenStore(path)
                : new InMemoryWorkerTokenStore());
        services.TryAddSingleton(provider => new AgentStatus(provider.GetRequiredService<IOptions<WorkerFleetAgentOptions>>().Value.WorkerId));
        services.TryAddSingleton<IWorkerFleetAgentStatus>(provider => provider.GetRequiredService<AgentStatus>());
        services.AddHostedService<WorkerFleetAgent>();
        services.AddHealthChecks().AddCheck<WorkerFleetAgentHealthCheck>(WorkerFleetAgentHealthCheck.Name);
        return services.AddHttpClient(WorkerFleetAgent.HttpClientName, (provider, http) =>
            http.Timeout = provider.GetRequiredService<IOptions<WorkerFleetAgentOptions>>().Value.Timeout);
    }
}
