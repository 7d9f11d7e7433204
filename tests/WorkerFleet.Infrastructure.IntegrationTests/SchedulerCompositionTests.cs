using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Quartz.Extensibility;
using WorkerFleet.Application;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The scheduler a host gets from <see cref="DependencyInjection.AddWorkerFleetScheduling"/>: the four jobs
/// and the meter of their runs, a hosted scheduler that lets running jobs finish at shutdown, the readiness checks, and
/// with <c>WorkerFleet:Scheduling:Clustered</c> on PostgreSQL, the jobs and their history in the shared database.</summary>
[NonParallelizable]
public class SchedulerCompositionTests
{
    private static readonly string[] JobNames =
        [LifecycleJobs.Activation.Name, LifecycleJobs.StaleDetection.Name, LifecycleJobs.Reactivation.Name, JournalJobs.Retention.Name];

    [TestCase(StorageProvider.Sqlite)]
    [TestCase(StorageProvider.Postgres)]
    public async Task An_instance_not_clustered_keeps_its_four_jobs_in_memory_metered_and_waits_for_running_jobs_at_shutdown(StorageProvider provider)
    {
        // Nothing here opens the database: the scheduler is built, not started.
        await using var services = Host(new Dictionary<string, string?>
        {
            ["WorkerFleet:Storage:Provider"] = provider.ToString(),
            ["ConnectionStrings:WorkerFleet"] = provider == StorageProvider.Postgres ? "Host=127.0.0.1;Database=unused" : null,
        });
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        try
        {
            var metadata = await scheduler.GetMetadata();
            metadata.JobStorePersistent.Should().BeFalse();
            metadata.JobStoreClustered.Should().BeFalse();
            (await scheduler.QueryJobs(new JobQuery())).Items.Select(job => job.Key.Name).Should().BeEquivalentTo(JobNames);
            scheduler.ListenerManager.GetJobListeners().Select(listener => listener.Name).Should().Contain("JobRunMeter");
            services.GetRequiredService<IOptions<QuartzHostedServiceOptions>>().Value.WaitForJobsToComplete.Should().BeTrue();
            services.GetRequiredService<IOptions<ExecutionHistoryOptions>>().Value.MaxEntriesPerJob
                .Should().Be(500, "the history is bounded per job, so the job that fires most cannot push the others' runs out");
            await using var scope = services.CreateAsyncScope();
            var runner = () => scope.ServiceProvider.GetRequiredService<ILifecycleRunner>();
            runner.Should().NotThrow("a run can be asked for over HTTP");
            services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations
                .Where(check => check.Tags.Contains(DependencyInjection.ReadyTag))
                .Select(check => check.Name)
                .Should().BeEquivalentTo(["database", "scheduler"]);
        }
        finally
        {
            await scheduler.Shutdown();
        }
    }

    [Test]
    public async Task A_clustered_instance_keeps_its_jobs_and_their_history_in_the_shared_PostgreSQL_database()
    {
        var server = TestStorage.PostgresServer();
        var database = await TestStorage.CreatePostgresDatabaseAsync(server);
        var connectionString = TestStorage.PostgresConnectionString(server, database);
        try
        {
            await using var services = Host(new Dictionary<string, string?>
            {
                ["WorkerFleet:Storage:Provider"] = "Postgres",
                ["ConnectionStrings:WorkerFleet"] = connectionString,
                ["WorkerFleet:Scheduling:Clustered"] = "true",
            });
            services.GetRequiredService<IOptions<JobStoreOptions>>().Value.Clustered.Should().BeTrue("PostgreSQL can hold a cluster's jobs");
            var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            try
            {
                var metadata = await scheduler.GetMetadata();
                metadata.JobStorePersistent.Should().BeTrue();
                metadata.JobStoreClustered.Should().BeTrue();
                scheduler.SchedulerInstanceId.Should().NotBe("NON_CLUSTERED", "each instance of a cluster needs an id of its own");
                (await StoredAsync(connectionString, "SELECT job_name FROM qrtz_job_details")).Should().BeEquivalentTo(JobNames);

                await using (var scope = services.CreateAsyncScope())
                {
                    (await scope.ServiceProvider.GetRequiredService<ILifecycleRunner>().RunNowAsync(CancellationToken.None)).IsSuccess.Should().BeTrue();
                }

                var history = services.GetRequiredService<IExecutionHistoryStore>();
                (await StoredAsync(connectionString, "SELECT job_name FROM qrtz_execution_history"))
                    .Should().BeEquivalentTo(JobNames[..3], "a clustered scheduler keeps its history in the shared database");
                var runs = await history.QueryExecutions(new ExecutionHistoryQuery { SchedulerName = scheduler.SchedulerName }, CancellationToken.None);
                runs.Items.Select(run => run.JobName).Should().BeEquivalentTo(JobNames[..3]);
                runs.Items.Should().OnlyContain(run => run.Manual && run.SchedulerInstanceId == scheduler.SchedulerInstanceId);
            }
            finally
            {
                await scheduler.Shutdown();
            }
        }
        finally
        {
            await TestStorage.DropPostgresDatabaseAsync(server, database);
        }
    }

    private static ServiceProvider Host(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddWorkerFleetApplication(configuration)
            .AddWorkerFleetInfrastructure(configuration)
            .AddWorkerFleetScheduling(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private static async Task<IReadOnlyList<string>> StoredAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
