using FluentValidation;
using MediatR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Behaviours;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.Workers;
using WorkerFleet.Application.Workers.Commands;

namespace WorkerFleet.Application;

/// <summary>Adds the WorkerFleet use cases to a host's services.</summary>
public static class DependencyInjection
{
    /// <summary>Registers the use cases (MediatR requests and handlers), their validators, the pipeline
    /// behaviours, <see cref="LifecycleOptions"/> bound from <c>WorkerFleet:Lifecycle</c>, and the instruments of
    /// <see cref="FleetMetrics"/> (meter <c>WorkerFleet</c>) with <see cref="MetricsOptions"/> from <c>WorkerFleet:Metrics</c>.
    /// Storage ports must be provided by the host, usually with <c>AddWorkerFleetInfrastructure</c>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Configuration holding <c>WorkerFleet:Lifecycle</c>.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddWorkerFleetApplication(this IServiceCollection services, IConfiguration configuration)
    {
        var assembly = typeof(DependencyInjection).Assembly;

        // MediatR 5 resolves handlers and behaviours through this delegate; see README "Packages".
        services.TryAddTransient<ServiceFactory>(provider => provider.GetService!);
        services.TryAddTransient<IMediator, Mediator>();
        services.Scan(scan => scan.FromAssemblies(assembly)
            .AddClasses(classes => classes.AssignableTo(typeof(IRequestHandler<,>)), publicOnly: false)
            .AsImplementedInterfaces()
            .WithTransientLifetime());

        // Registration order is pipeline order, outermost first.
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(TracingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(LoggingBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(StorageFailureBehaviour<,>));
        services.AddTransient(typeof(IPipelineBehavior<,>), typeof(ValidationBehaviour<,>));
        // Validators hold no state: built once, not once per request.
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);

        services.AddTransient<LifecycleSweeper>();
        services.AddSingleton<StorageWatch>();
        services.TryAddSingleton<HeartbeatPacer>();
        services.AddMetrics();
        services.TryAddSingleton<FleetMetrics>();
        services.AddOptions<MetricsOptions>()
            .Bind(configuration.GetSection(MetricsOptions.SectionName))
            .Validate(o => o.FleetReadingInterval >= TimeSpan.FromSeconds(1),
                $"{MetricsOptions.SectionName}:FleetReadingInterval must be at least 00:00:01.")
            .ValidateOnStart();
        services.TryAddSingleton<ICaller, HostCaller>();
        services.AddScoped<EventFeed>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EventsOptions>()
            .Bind(configuration.GetSection(EventsOptions.SectionName))
            .Validate(o => o.Retention >= TimeSpan.FromHours(1),
                $"{EventsOptions.SectionName}:Retention must be at least 01:00:00.")
            .Validate(o => o.PollInterval >= TimeSpan.FromMilliseconds(10) && o.PollInterval <= TimeSpan.FromMinutes(1),
                $"{EventsOptions.SectionName}:PollInterval must be between 00:00:00.01 and 00:01:00.")
            .ValidateOnStart();
        services.AddOptions<LifecycleOptions>()
            .Bind(configuration.GetSection(LifecycleOptions.SectionName))
            .Validate(o => o.HeartbeatTimeout > TimeSpan.Zero,
                $"{LifecycleOptions.SectionName}:HeartbeatTimeout must be a positive time span such as 00:02:00.")
            .Validate(o => o.MaxHeartbeatsPerSecond > 0,
                $"{LifecycleOptions.SectionName}:MaxHeartbeatsPerSecond must be above 0, such as 1000.")
            .Validate(o => o.HeartbeatTimeout <= TimeSpan.Zero
                    || (o.MinHeartbeatInterval > TimeSpan.Zero && o.MinHeartbeatInterval <= HeartbeatPacer.LongestIntervalFor(o.HeartbeatTimeout)),
                $"{LifecycleOptions.SectionName}:MinHeartbeatInterval must be a positive time span of at most a third of HeartbeatTimeout, " +
                "so that a worker following it cannot go stale.")
            .Validate(o => o.HeartbeatHistorySize is >= 1 and <= 10_000,
                $"{LifecycleOptions.SectionName}:HeartbeatHistorySize must be between 1 and 10000.")
            .Validate(o => o.MassFailureThreshold is > 0 and <= 1,
                $"{LifecycleOptions.SectionName}:MassFailureThreshold must be a share above 0 and at most 1, such as 0.5.")
            .Validate(o => o.MassFailureMinimumFleet >= 1,
                $"{LifecycleOptions.SectionName}:MassFailureMinimumFleet must be at least 1.")
            .Validate(o => o.MassFailureOverrideTtl > TimeSpan.Zero,
                $"{LifecycleOptions.SectionName}:MassFailureOverrideTtl must be a positive time span such as 00:10:00.")
            .ValidateOnStart();
        return services;
    }
}
