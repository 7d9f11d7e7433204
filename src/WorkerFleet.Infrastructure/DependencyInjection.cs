using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.Infrastructure;

public static class DependencyInjection
{
    /// <summary>Registers storage (SQLite by default, PostgreSQL by configuration), schema migration at start-up,
    /// the three Quartz lifecycle jobs on their cron schedules, and the database and scheduler health checks.</summary>
    public static IServiceCollection AddWorkerFleetInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .Validate(o => o.Provider != StorageProvider.Postgres || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(StorageOptions.ConnectionStringName)),
                $"ConnectionStrings:{StorageOptions.ConnectionStringName} must be set when {StorageOptions.SectionName}:Provider is Postgres.")
            .Validate(o => o.Provider != StorageProvider.Sqlite || !string.IsNullOrWhiteSpace(o.SqlitePath),
                $"{StorageOptions.SectionName}:SqlitePath must name a file.")
            .ValidateOnStart();

        services.AddDbContext<SqliteWorkerFleetDbContext>((provider, options) =>
        {
            var path = provider.GetRequiredService<IOptions<StorageOptions>>().Value.SqlitePath;
            var root = provider.GetService<IHostEnvironment>()?.ContentRootPath ?? AppContext.BaseDirectory;
            options.UseSqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(root, path) }.ToString());
        });
        services.AddDbContext<PostgresWorkerFleetDbContext>(options =>
            options.UseNpgsql(configuration.GetConnectionString(StorageOptions.ConnectionStringName)));
        services.AddScoped<WorkerFleetDbContext>(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres
                ? provider.GetRequiredService<PostgresWorkerFleetDbContext>()
                : provider.GetRequiredService<SqliteWorkerFleetDbContext>());
        services.AddScoped<IWorkerRepository, WorkerRepository>();
        services.AddScoped<IHeartbeatStore, HeartbeatStore>();

        // Hosted services start in registration order: the schema exists before the first job fires.
        services.AddHostedService<StorageInitializer>();

        services.AddOptions<LifecycleScheduleOptions>()
            .Bind(configuration.GetSection(LifecycleScheduleOptions.SectionName))
            .Validate(o => CronExpression.TryParse(o.ActivationCron, out _),
                $"{LifecycleScheduleOptions.SectionName}:ActivationCron is not a valid Quartz cron expression.")
            .Validate(o => CronExpression.TryParse(o.StaleDetectionCron, out _),
                $"{LifecycleScheduleOptions.SectionName}:StaleDetectionCron is not a valid Quartz cron expression.")
            .Validate(o => CronExpression.TryParse(o.ReactivationCron, out _),
                $"{LifecycleScheduleOptions.SectionName}:ReactivationCron is not a valid Quartz cron expression.")
            .ValidateOnStart();
        services.AddQuartz(quartz => quartz.AddLifecycleJobs());
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);

        services.AddHealthChecks()
            .AddDbContextCheck<WorkerFleetDbContext>("database")
            .AddQuartz(options => options.Name = "scheduler");
        return services;
    }

    /// <summary>Creates or migrates the schema now; for hosts that turn off migration at start-up or have no host.</summary>
    public static Task MigrateWorkerFleetStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        StorageInitializer.MigrateAsync(services, cancellationToken);
}
