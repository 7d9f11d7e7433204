using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The real service over real HTTP handlers (in-memory transport) on its own SQLite file and a fake clock.
/// The scheduled jobs are parked in 2099 unless a test gives them a schedule, so only the test moves workers.</summary>
public sealed class WorkerFleetApi : WebApplicationFactory<Program>
{
    public const string ParkedCron = "0 0 0 1 1 ? 2099";

    private readonly string _directory = Directory.CreateTempSubdirectory("workerfleet-api-").FullName;
    private readonly Dictionary<string, string?> _settings;

    public WorkerFleetApi(IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["WorkerFleet:Storage:SqlitePath"] = Path.Combine(_directory, "workerfleet.db"),
            ["WorkerFleet:Lifecycle:ActivationCron"] = ParkedCron,
            ["WorkerFleet:Lifecycle:StaleDetectionCron"] = ParkedCron,
            ["WorkerFleet:Lifecycle:ReactivationCron"] = ParkedCron,
            ["WorkerFleet:Events:RetentionCron"] = ParkedCron,
            ["WorkerFleet:ApiReference"] = "true",
            ["WorkerFleet:Security:AdminKeys:0"] = AdminKey,
            ["WorkerFleet:Security:ReaderKeys:0"] = ReaderKey,
            ["WorkerFleet:Security:RegistrationKeys:0"] = RegistrationKey,
        };
        // A null value takes the setting out, so the service falls back on its own default.
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
    }

    public const string AdminKey = "test-admin-key-0123456789abcdef0123456789";
    public const string ReaderKey = "test-reader-key-0123456789abcdef0123456789";
    public const string RegistrationKey = "test-registration-key-0123456789abcdef0123";

    // The keys are configured without names, so each caller is named by its key's fingerprint: the first 8 hex digits
    // of the key's SHA-256 (printf %s "$key" | sha256sum | cut -c1-8).
    public const string AdminName = "admin key adeab5d1";
    public const string ReaderName = "reader key 77e32b73";
    public const string RegistrationName = "registration key 376b6aba";

    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 5, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>Every line the service logs, at the levels the configuration lets through.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>A client that sends the credential each route needs: the registration key to register, each worker's
    /// own token (taken from its registration) to heartbeat, the admin key for everything else. Tests about access
    /// control use <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> and set credentials themselves.</summary>
    public HttpClient CreateOperatorClient() => CreateDefaultClient(new Credentials());

    /// <summary>A client that sends <paramref name="credential"/> (a key or a worker token) with every request.</summary>
    public HttpClient CreateClient(string credential)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", credential);
        return client;
    }

    /// <summary>Deletes every worker and heartbeat, for fixtures that share one service between tests.</summary>
    public async Task ResetAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>();
        await db.Heartbeats.ExecuteDeleteAsync();
        await db.Workers.ExecuteDeleteAsync();
        await db.MassFailureHolds.ExecuteDeleteAsync();
        await db.MassFailureOverrides.ExecuteDeleteAsync();
        await db.WorkerEvents.ExecuteDeleteAsync();
        await db.EventRetention.ExecuteUpdateAsync(set => set.SetProperty(r => r.DeletedThrough, 0));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock).AddSingleton<ILoggerProvider>(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
