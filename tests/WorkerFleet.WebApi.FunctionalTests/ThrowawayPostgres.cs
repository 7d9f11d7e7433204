using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A PostgreSQL 15 server of the test's own, on a free loopback port, that the test may stop and start
/// (the shared one of build/test.sh serves other tests and must not go down).</summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly int _port;

    private ThrowawayPostgres(string directory, int port)
    {
        _directory = directory;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres;Timeout=3";

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        if (!File.Exists(Path.Combine(Bin, "pg_ctl")))
        {
            Assert.Fail($"PostgreSQL 15 is not installed ({Bin}/pg_ctl is missing): apt-get install -y postgresql-15.");
        }

        var directory = Directory.CreateTempSubdirectory("workerfleet-outage-pg-").FullName;
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres", directory);
        }

        await AsPostgresAsync(Path.Combine(Bin, "initdb"), "-D", Path.Combine(directory, "data"), "-A", "trust", "-U", "postgres");
        // PostgreSQL cannot pick a free port itself: a port free a moment ago may be taken by the time it binds, and
        // then another is tried. A restart (StartAgainAsync) keeps the port, as the connection string does.
        var log = Path.Combine(directory, "log");
        for (var attempt = 1; ; attempt++)
        {
            File.Delete(log);
            var server = new ThrowawayPostgres(directory, FreePort());
            try
            {
                await server.StartAgainAsync();
                return server;
            }
            catch (AssertionException) when (attempt < 5 && File.Exists(log) && File.ReadAllText(log).Contains("could not bind", StringComparison.Ordinal))
            {
                // Taken: try another port.
            }
        }
    }

    public Task StartAgainAsync() => AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(_directory, "data"),
        "-l", Path.Combine(_directory, "log"), "-w", "start",
        "-o", $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off");

    public Task StopAsync() => AsPostgresAsync(Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(_directory, "data"), "-m", "fast", "-w", "stop");

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(_directory, "data", "postmaster.pid")))
        {
            await StopAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task AsPostgresAsync(string program, params string[] arguments) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} failed: {await output}{await errors}");
    }
}
