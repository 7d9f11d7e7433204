using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace WorkerFleet.Packages.Tests;

/// <summary>Packs the four packages into a local feed and uses them the way other teams would: projects outside the
/// solution that reference them by version from that feed only, built with warnings as errors: a host of the use cases,
/// which is run, and a worker process on the client package alone.</summary>
public class PackagesTests
{
    private static readonly string[] Packages = ["WorkerFleet.Domain", "WorkerFleet.Application", "WorkerFleet.Infrastructure", "WorkerFleet.Client"];

    private string _work = null!;
    private string _feed = null!;
    private string _version = null!;
    private string _consumer = null!;

    [OneTimeSetUp]
    public async Task PackIntoALocalFeed()
    {
        _work = Directory.CreateTempSubdirectory("workerfleet-packages-").FullName;
        _feed = Path.Combine(_work, "feed");
        // A version no cache has seen, so the consumer can only get these packages from this feed.
        _version = $"1.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        await RunAsync(RepositoryRoot(), isolatedPackages: false, "bash", "build/pack.sh", _feed, _version);

        _consumer = Path.Combine(_work, "consumer");
        CopyDirectory(Path.Combine(AppContext.BaseDirectory, "Consumer"), _consumer);
        await File.WriteAllTextAsync(Path.Combine(_consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{_feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local"><package pattern="WorkerFleet.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    [OneTimeTearDown]
    public void RemoveWork() => Directory.Delete(_work, recursive: true);

    [Test]
    public void Every_package_has_complete_metadata_docs_and_symbols()
    {
        foreach (var package in Packages)
        {
            var nupkg = Path.Combine(_feed, $"{package}.{_version}.nupkg");
            File.Exists(Path.ChangeExtension(nupkg, ".snupkg")).Should().BeTrue($"{package} ships a symbol package");
            using var archive = ZipFile.OpenRead(nupkg);
            archive.Entries.Select(e => e.FullName).Should().Contain(
                [$"lib/net10.0/{package}.dll", $"lib/net10.0/{package}.xml", "README.md"], package);

            using var nuspecStream = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
            Field("version").Should().Be(_version);
            Field("description").Should().NotBeNullOrWhiteSpace();
            Field("license").Should().Be("MIT");
            Field("tags").Should().Contain("workers");
            Field("readme").Should().Be("README.md");
            metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")!.Value.Should().StartWith("https://");

            // Minimum versions ("1.2.3" means >= 1.2.3 in NuGet): never an exact pin like "[1.2.3]".
            var ranges = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("version")!.Value);
            ranges.Should().NotContain(range => range.StartsWith('['), $"{package} must not force exact dependency versions");
        }
    }

    [Test]
    public async Task A_host_outside_the_solution_restores_builds_and_runs_the_packages()
    {
        await RunAsync(_consumer, isolatedPackages: true, "dotnet", "build", "-c", "Release", "-warnaserror", "-nologo", $"-p:WorkerFleetVersion={_version}");
        var output = await RunAsync(_consumer, isolatedPackages: true, "dotnet", "run", "-c", "Release", "--no-build", "--", Path.Combine(_work, "consumer.db"));

        output.Should().Contain("registered: agent-1 (Pending)")
            .And.Contain("activated: agent-1")
            .And.Contain("status: Active");
        var assets = await File.ReadAllTextAsync(Path.Combine(_consumer, "obj", "project.assets.json"));
        assets.Should().Contain($"WorkerFleet.Application/{_version}").And.Contain($"WorkerFleet.Domain/{_version}");
    }

    [Test]
    public async Task A_worker_process_outside_the_solution_builds_on_the_client_package_without_the_server_side()
    {
        await RunAsync(_consumer, isolatedPackages: true, "dotnet", "build", "Worker", "-c", "Release", "-warnaserror", "-nologo", $"-p:WorkerFleetVersion={_version}");

        var assets = await File.ReadAllTextAsync(Path.Combine(_consumer, "Worker", "obj", "project.assets.json"));
        assets.Should().Contain($"WorkerFleet.Client/{_version}");
        // A worker process must not drag in the registry's storage or use-case stack.
        assets.Should().NotContain("WorkerFleet.Application").And.NotContain("WorkerFleet.Domain")
            .And.NotContain("Microsoft.EntityFrameworkCore").And.NotContain("MediatR").And.NotContain("Microsoft.AspNetCore");
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WorkerFleet.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("WorkerFleet.sln not found above the test output.");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Runs a command to completion and returns its output; fails the test with the output when it fails.</summary>
    private async Task<string> RunAsync(string directory, bool isolatedPackages, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (isolatedPackages)
        {
            // The consumer restores into its own package folder, with the machine's as a read-only fallback for the
            // third-party packages, so nothing of this test lands in the machine's cache.
            start.Environment["NUGET_PACKAGES"] = Path.Combine(_work, "nuget-packages");
            start.Environment["NUGET_FALLBACK_PACKAGES"] = Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        process.ExitCode.Should().Be(0, $"`{fileName} {string.Join(' ', arguments)}` failed:\n{output}");
        return output;
    }
}
