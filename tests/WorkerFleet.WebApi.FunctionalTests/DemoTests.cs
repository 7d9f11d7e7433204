using System.Diagnostics;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The demo of the README, run as its user runs it: every step succeeds and the last one leaves the workers the
/// reference scenario ends with.</summary>
public class DemoTests
{
    [Test]
    [CancelAfter(120_000)]
    public async Task The_demo_runs_its_nine_steps_and_ends_with_worker_1_and_worker_2()
    {
        var cancellationToken = TestContext.CurrentContext.CancellationToken;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "WorkerFleet.Demo.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var demo = Process.Start(start)!;
        var output = demo.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = demo.StandardError.ReadToEndAsync(cancellationToken);
        await demo.WaitForExitAsync(cancellationToken);

        demo.ExitCode.Should().Be(0, await errors);
        var lines = (await output).Split('\n');
        lines.Should().Contain(line => line.StartsWith("[9/9] Unregister worker-3", StringComparison.Ordinal));
        var last = lines.SkipWhile(line => !line.StartsWith("[9/9]", StringComparison.Ordinal)).ToList();
        last.Should().ContainSingle(line => line.Contains("unregistered", StringComparison.Ordinal) && line.Contains("worker-3", StringComparison.Ordinal));
        last.Where(line => line.Contains("remaining", StringComparison.Ordinal)).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .Should().Equal("worker-1", "worker-2");
    }
}
