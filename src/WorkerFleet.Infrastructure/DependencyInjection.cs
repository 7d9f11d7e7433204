using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Application.Workers;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Control;
using WorkerFleet.Infrastructure.Persistence.Events;
using WorkerFleet.Infrastructure.Persistence.Heartbeats;
using WorkerFleet.Infrastructure.Persistence.Registrations;
using WorkerFleet.Infrastructure.Scheduling;
using WorkerFleet.Infrastructure.Telemetry;

namespace WorkerFleet.Infrastructure;

/// <summary>Adds WorkerFleet's storage and, optionally, its background lifecycle jobs to a host's services.</summary>
public static class DependencyInjection
{
    /// <summary>Registers the storage ports on EF Core (SQLite by default, PostgreSQL by configuration, see
    /// <see cref="StorageOptions"/>), schema migration when a host starts, and a <c>database</c> health check.
    /// Background jobs are separate and opt-in: <see cref="AddWorkerFleetScheduling"/>.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Configuration holding <c>WorkerFleet:Storage</c> and <c>ConnectionStrings:WorkerFleet</c>.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddWorkerFleetInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(StorageOptions.ConnectionStringName)),
                $"ConnectionStrings:{StorageOptions.ConnectionStringName} must be set when {StorageOptions.SectionName}:Provider is Postgres.")
            .Validate(o => o.Provider != StorageProvider.Sqlite || !string.IsNullOrWhiteSpace(o.SqlitePath),
                $"{StorageOptions.SectionName}:SqlitePath must name a file.")
            .Validate(o => o.CommandTimeout >= TimeSpan.FromSeconds(1),
                $"{StorageOptions.SectionName}:CommandTimeout must be at least 00:00:01.")
            .Validate(o => o.WriteBatchSize is >= 1 and <= 10_000,
                $"{StorageOptions.SectionName}:WriteBatchSize must be between 1 and 10000.")
            .ValidateOnStart();

        // Pooled: a request that never touches the database (a heartbeat, which the group commit writes) still
        // resolves a store, and renting a context costs far less than building one and its options.
        services.AddDbContextPool<SqliteWorkerFleetDbContext>((provider, options) =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var root = provider.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            options.UseSqlite(
                new SqliteConnectionStringBuilder { DataSource = Path.Combine(root, storage.SqlitePath) }.ToString(),
                sqlite => sqlite.CommandTimeout((int)storage.CommandTimeout.TotalSeconds));
        });
        services.AddDbContextPool<PostgresWorkerFleetDbContext>((provider, options) =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            options.UseNpgsql(
                configuration.GetConnectionString(StorageOptions.ConnectionStringName),
                npgsql => npgsql.CommandTimeout((int)storage.CommandTimeout.TotalSeconds));
        });
        services.AddScoped<WorkerFleetDbContext>(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
                ? provider.GetRequiredService<PostgresWorkerFleetDbContext>()
                : provider.GetRequiredService<SqliteWorkerFleetDbContext>());
        services.AddScoped<IWorkerRepository, WorkerRepository>();
        services.AddScoped<IHeartbeatStore, HeartbeatStore>();
        services.AddScoped<ILifecycleControl, LifecycleControl>();
        services.AddScoped<IEventJournal, EventJournal>();
        services.AddSingleton<JournalSignal>();
        services.AddSingleton<LogCheckpoints>();
        // The group commits and the fleet reading record into the service's instruments and pace the heartbeats, with
        // or without the use cases.
        services.AddMetrics();
        services.TryAddSingleton<FleetMetrics>();
        services.TryAddSingleton<HeartbeatPacer>();
        services.TryAddSingleton(TimeProvider.System);
        // Heartbeats and registrations are group-committed; see GroupCommit. A PostgreSQL writer's connection goes idle in
        // wall time, whatever clock the fleet's rules read (a test sets that one by hand).
        services.AddSingleton<GroupCommit<HeartbeatWrite, WorkerStatus?>>();
        services.AddSingleton<IBatchWriter<HeartbeatWrite, WorkerStatus?>>(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
                ? new PostgresHeartbeatBatchWriter(new PostgresWriterConnection(TimeProvider.System))
                : new SqliteHeartbeatBatchWriter(provider.GetRequiredService<LogCheckpoints>()));
        services.AddSingleton<GroupCommit<NewRegistration, bool>>();
        services.AddSingleton<IBatchWriter<NewRegistration, bool>>(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
                ? new PostgresRegistrationBatchWriter(
                    provider.GetRequiredService<JournalSignal>(), new PostgresWriterConnection(TimeProvider.System))
                : new SqliteRegistrationBatchWriter(provider.GetRequiredService<JournalSignal>()));

        // Hosted services start in registration order: register storage first and the schema exists before the first job fires.
        services.AddHostedService<StorageInitializer>();
        services.AddHealthChecks().AddDbContextCheck<WorkerFleetDbContext>("database", tags: [ReadyTag]);
        services.AddHostedService<FleetReader>();

        return services;
    }

    /// <summary>The tag of the health checks that must pass before an instance takes traffic (<c>GET /health/ready</c>):
    /// the database answers and the scheduler runs.</summary>
    public const string ReadyTag = "ready";

    private const int ExecutionHistoryPerJob = 500;

    /// <summary>Runs the three lifecycle transitions in the background as Quartz.NET jobs on the cron schedules of
    /// <see cref="LifecycleScheduleOptions"/>, hosted by the generic host, with a <c>scheduler</c> health check and an
    /// execution history of what each job ran and moved (in memory, or in the shared database when clustered).
    /// Call it after <see cref="AddWorkerFleetInfrastructure"/>; a host that only sends use cases leaves it out.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Configuration holding <c>WorkerFleet:Lifecycle</c>.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddWorkerFleetScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LifecycleScheduleOptions>()
            .Bind(configuration.GetSection(LifecycleScheduleOptions.SectionName))
            .Validate(o => CronExpression.TryParse(o.ActivationCron, out _),
                $"{LifecycleScheduleOptions.SectionName}:ActivationCron is not a valid Quartz cron expression.")
            .Validate(o => CronExpression.TryParse(o.StaleDetectionCron, out _),
                $"{LifecycleScheduleOptions.SectionName}:StaleDetectionCron is not a valid Quartz cron expression.")
            .Validate(o => CronExpression.TryParse(o.ReactivationCron, out _),
                $"{LifecycleScheduleOptions.SectionName}:ReactivationCron is not a valid Quartz cron expression.")
            .ValidateOnStart();
        services.AddOptions<EventRetentionScheduleOptions>()
            .Bind(configuration.GetSection(EventRetentionScheduleOptions.SectionName))
            .Validate(o => CronExpression.TryParse(o.RetentionCron, out _),
                $"{EventRetentionScheduleOptions.SectionName}:RetentionCron is not a valid Quartz cron expression.")
            .ValidateOnStart();
        services.AddOptions<JobStoreOptions>()
            .Bind(configuration.GetSection(JobStoreOptions.SectionName))
            .Validate(o => !o.Clustered || configuration.GetValue<StorageProvider>($"{StorageOptions.SectionName}:Provider") == StorageProvider.Postgres,
                $"{JobStoreOptions.SectionName}:Clustered needs {StorageOptions.SectionName}:Provider=Postgres: the embedded SQLite store serves one instance only.")
            .Validate(o => o.ClusterCheckinInterval >= TimeSpan.FromSeconds(1),
                $"{JobStoreOptions.SectionName}:ClusterCheckinInterval must be at least 00:00:01.")
            .ValidateOnStart();

        // The job store is chosen now, from configuration: Quartz builds its store from these registrations.
        var scheduling = configuration.GetSection(JobStoreOptions.SectionName).Get<JobStoreOptions>() ?? new JobStoreOptions();
        var postgres = configuration.GetConnectionString(StorageOptions.ConnectionStringName);
        var clustered = scheduling.Clustered && !string.IsNullOrWhiteSpace(postgres);
        // A clustered store gives each instance an id of its own; one alone keeps Quartz's NON_CLUSTERED.
        services.AddQuartz(quartz =>
        {
            if (clustered)
            {
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(postgres!);
                    store.UseClustering(cluster => cluster.CheckinInterval = scheduling.ClusterCheckinInterval);
                    // Quartz creates its own tables at start-up when they are missing: no manual SQL step.
                    store.ProvisionSchema();
                    // One history in the shared database, so every instance shows every instance's runs.
                    store.UseExecutionHistory();
                });
            }

            quartz.AddLifecycleJobs();
            quartz.AddJournalJobs();
            quartz.AddJobListener<JobRunMeter>();
        });
        // Bounded per job, so the job that fires most cannot push the others' runs out of the history.
        services.AddQuartzExecutionHistory(history => history.MaxEntriesPerJob = ExecutionHistoryPerJob);
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddScoped<LifecycleTransition>();
        services.AddScoped<ILifecycleRunner, LifecycleRunner>();

        services.AddHealthChecks().AddQuartz(options =>
        {
            options.Name = "scheduler";
            options.Tags.Add(ReadyTag);
        });
        return services;
    }

    /// <summary>Creates or migrates the schema now; for hosts that turn off migration at start-up or have no host.</summary>
    /// <param name="services">A provider built from services that went through <see cref="AddWorkerFleetInfrastructure"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the database.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    public static Task MigrateWorkerFleetStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        StorageInitializer.MigrateAsync(services, cancellationToken);
}
