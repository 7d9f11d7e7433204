using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The service as a real process on a loopback port, as an operator runs it: for the tests about processes
/// (start-up refusal, several instances, being killed). Its console output is kept for the test to read.</summary>
internal sealed partial class ServiceProcess : IDisposable
{
    public const string AdminKey = WorkerFleetApi.AdminKey;
    public const string RegistrationKey = WorkerFleetApi.RegistrationKey;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _port.TrySetException(new InvalidOperationException($"The service exited before it listened:\n{Output}"));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The port the process listens on, as it reports it once bound (waiting for that, up to a minute).</summary>
    public int Port => _port.Task.WaitAsync(TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the service with production defaults, the test keys and <paramref name="settings"/> (in
    /// configuration-key form, e.g. <c>WorkerFleet:Storage:Provider</c>). It listens where <paramref name="urls"/> says
    /// (by default a loopback port the process picks itself, so no other process can take it between picking and
    /// binding), or, with <paramref name="urls"/> null, where the settings make it listen.</summary>
    public static ServiceProcess Start(
        string workingDirectory, IDictionary<string, string> settings, bool withKeys = true, string? urls = "http://127.0.0.1:0")
    {
        string[] arguments = urls is null
            ? [Path.Combine(AppContext.BaseDirectory, "WorkerFleet.WebApi.dll")]
            : [Path.Combine(AppContext.BaseDirectory, "WorkerFleet.WebApi.dll"), "--urls", urls];
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        if (withKeys)
        {
            start.Environment["WorkerFleet__Security__AdminKeys__0"] = AdminKey;
            start.Environment["WorkerFleet__Security__ReaderKeys__0"] = WorkerFleetApi.ReaderKey;
            start.Environment["WorkerFleet__Security__RegistrationKeys__0"] = RegistrationKey;
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new ServiceProcess(Process.Start(start)!);
    }

    /// <summary>A client of this process that sends <paramref name="key"/> with every request.</summary>
    public HttpClient CreateClient(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Waits for /health to answer 200, or fails with the process output.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/health", deadline.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // Listening but slow to answer, as a loaded machine starting several instances can be: ask again.
            }

            await Task.Delay(100, CancellationToken.None);
        }

        Assert.Fail($"The service did not become healthy:\n{Output}");
    }

    /// <summary>Waits until the output satisfies <paramref name="condition"/>, or fails with the output.</summary>
    public static Task WaitForAsync(Func<bool> condition, string what, TimeSpan within, params ServiceProcess[] services) =>
        WaitForAsync(() => Task.FromResult(condition()), what, within, services);

    /// <summary>Waits until <paramref name="condition"/> (which may ask the services) holds, or fails with the output:
    /// real processes keep real time, so this polls them.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan within, params ServiceProcess[] services)
    {
        using var deadline = new CancellationTokenSource(within);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"Timed out waiting for {what}:\n{string.Join("\n-----\n", services.Select(s => s.Output))}");
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }

    /// <summary>Ends the process at once, as <c>kill -9</c> does: no shutdown, no flush.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        // ASP.NET Core's "Now listening on: http://127.0.0.1:41234" (or [::] or localhost), its first address.
        if (ListeningOn().Match(line) is { Success: true } listening)
        {
            _port.TrySetResult(int.Parse(listening.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Now listening on: http://[^ ]*:(\d+)$")]
    private static partial System.Text.RegularExpressions.Regex ListeningOn();

    /// <summary>A loopback port free at the moment of asking.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
