using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A real Prometheus (Debian's <c>prometheus</c>, on loopback, a throwaway config and data directory) scrapes a
/// real service process with the reader key; its HTTP API then holds the series the test produced. And the alert
/// rules in <c>deploy/</c> pass <c>promtool check rules</c>.</summary>
[NonParallelizable]
public sealed class PrometheusTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private const string PromtoolBinary = "/usr/bin/promtool";

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory()
    {
        if (!File.Exists(PrometheusBinary) || !File.Exists(PromtoolBinary))
        {
            Assert.Fail($"Prometheus is not installed ({PrometheusBinary} or {PromtoolBinary} is missing): apt-get install -y prometheus.");
        }

        _directory = Directory.CreateTempSubdirectory("workerfleet-prometheus-").FullName;
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Prometheus_scrapes_the_heartbeats_and_the_workers_with_the_reader_key()
    {
        using var service = ServiceProcess.Start(_directory, new Dictionary<string, string>
        {
            ["WorkerFleet:Metrics:FleetReadingInterval"] = "00:00:01",
            ["WorkerFleet:Lifecycle:ActivationCron"] = "0/1 * * * * ?",
        });
        await service.WaitUntilHealthyAsync();
        using var registrar = service.CreateClient(ServiceProcess.RegistrationKey);
        var tokens = new List<(string Id, string Token)>();
        foreach (var id in new[] { "prom-1", "prom-2" })
        {
            var registered = await (await registrar.PostAsJsonAsync("/workers", new { id, region = "prom-region", capacity = 1 })).Content.ReadFromJsonAsync<JsonElement>();
            tokens.Add((id, registered.GetProperty("token").GetString()!));
        }

        for (var round = 0; round < 3; round++)
        {
            foreach (var (id, token) in tokens)
            {
                using var worker = service.CreateClient(token);
                (await worker.PostAsync($"/workers/{id}/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK);
            }
        }

        using var prometheus = StartPrometheus(service.Port, out var prometheusPort);
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}") };
            await ServiceProcess.WaitForAsync(
                async () => await QueryAsync(api, """workerfleet_heartbeats_total{outcome="recorded"}""") == 6
                    && await QueryAsync(api, """workerfleet_workers{region="prom-region",status="active"}""") == 2
                    && await QueryAsync(api, """up{job="workerfleet"}""") == 1,
                "Prometheus to scrape 6 recorded heartbeats and 2 Active workers", TimeSpan.FromSeconds(60), service);
            await TheOperatorKitQueriesWhatTheServicePublishesAsync(api);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
        }
    }

    [Test]
    public async Task The_alert_rules_pass_promtool()
    {
        var rules = Path.Combine(RepositoryRoot(), "deploy", "prometheus", "alerts.yml");
        using var promtool = Process.Start(new ProcessStartInfo(PromtoolBinary, ["check", "rules", rules]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        promtool.ExitCode.Should().Be(0, output);
        output.Should().Contain("SUCCESS");
    }

    private Process StartPrometheus(int servicePort, out int port)
    {
        port = ServiceProcess.FreePort();
        var config = Path.Combine(_directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: workerfleet
                authorization:
                  credentials: {WorkerFleetApi.ReaderKey}
                static_configs:
                  - targets: ["127.0.0.1:{servicePort}"]
            """);
        return Process.Start(new ProcessStartInfo(PrometheusBinary,
        [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
    }

    /// <summary>Every query of the Grafana dashboard is PromQL that this Prometheus runs, and every series the
    /// dashboard and the alert rules name is one the service published.</summary>
    private static async Task TheOperatorKitQueriesWhatTheServicePublishesAsync(HttpClient api)
    {
        var deploy = Path.Combine(RepositoryRoot(), "deploy");
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(deploy, "grafana", "workerfleet.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty("expr").GetString()!)
            .ToList();
        queries.Should().HaveCountGreaterThan(5);
        foreach (var query in queries)
        {
            var answer = await api.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
            answer.StatusCode.Should().Be(HttpStatusCode.OK, $"{query}: {await answer.Content.ReadAsStringAsync()}");
        }

        var published = (await api.GetFromJsonAsync<JsonElement>("/api/v1/label/__name__/values")).GetProperty("data")
            .EnumerateArray().Select(name => name.GetString()!).ToHashSet(StringComparer.Ordinal);
        var rules = await File.ReadAllTextAsync(Path.Combine(deploy, "prometheus", "alerts.yml"));
        var named = System.Text.RegularExpressions.Regex.Matches(string.Join("\n", queries) + rules, "workerfleet_[a-z_]+")
            .Select(match => match.Value).Distinct().ToList();
        named.Should().HaveCountGreaterThan(5).And.OnlyContain(name => published.Contains(name), "the kit may only query series the service publishes");
    }

    /// <summary>The value of an instant query that yields one series, or null while it yields none.</summary>
    private static async Task<double?> QueryAsync(HttpClient api, string query)
    {
        try
        {
            var answer = await api.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
            var result = answer.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WorkerFleet.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("WorkerFleet.sln not found above " + AppContext.BaseDirectory);
    }
}
