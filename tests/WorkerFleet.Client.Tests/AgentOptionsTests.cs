using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WorkerFleet.Client.Agent;
using WorkerFleet.Client.Tests.Testing;

namespace WorkerFleet.Client.Tests;

[CancelAfter(10_000)]
public class AgentOptionsTests
{
    private static readonly TestCaseData[] Invalid =
    [
        Case("no credential", _ => { }, "WorkerFleetAgentOptions needs a token or a registration key"),
        Case("no address", o => (o.Token, o.BaseAddress) = ("wft_x", null), "WorkerFleetAgentOptions.BaseAddress is required"),
        Case("relative address", o => (o.Token, o.BaseAddress) = ("wft_x", new Uri("/fleet", UriKind.Relative)), "must be an absolute http or https address"),
        Case("ftp address", o => (o.Token, o.BaseAddress) = ("wft_x", new Uri("ftp://fleet.internal/")), "must be an absolute http or https address"),
        Case("bad worker id", o => (o.Token, o.WorkerId) = ("wft_x", "-gpu"), "WorkerFleetAgentOptions.WorkerId must be 1–128 characters"),
        Case("worker id with a line break", o => (o.Token, o.WorkerId) = ("wft_x", "gpu-7\n"), "WorkerFleetAgentOptions.WorkerId must be"),
        Case("no region to register in", o => (o.RegistrationKey, o.Region) = ("key", null), "WorkerFleetAgentOptions.Region (1–64 characters) is required"),
        Case("no capacity to register with", o => (o.RegistrationKey, o.Capacity) = ("key", 0), "WorkerFleetAgentOptions.Capacity must be 1–100000"),
        Case("no minimum backoff", o => (o.Token, o.MinimumBackoff) = ("wft_x", TimeSpan.Zero), "WorkerFleetAgentOptions.MinimumBackoff must be positive"),
        Case("maximum below minimum", o => (o.Token, o.MaximumBackoff) = ("wft_x", TimeSpan.FromMilliseconds(500)), "MaximumBackoff (00:00:00.5000000) must not be shorter than MinimumBackoff"),
        Case("no timeout", o => (o.Token, o.Timeout) = ("wft_x", TimeSpan.Zero), "WorkerFleetAgentOptions.Timeout must be positive"),
    ];

    [TestCaseSource(nameof(Invalid))]
    public async Task Settings_the_agent_could_never_heartbeat_with_stop_the_start_naming_the_setting(
        Action<WorkerFleetAgentOptions> configure, string message)
    {
        await using var agent = new AgentHarness(configure);

        var start = () => agent.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain(message);
        agent.Service.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task The_settings_bind_from_configuration_as_a_worker_host_gives_them()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkerFleet:Agent:BaseAddress"] = "http://127.0.0.1:5081/fleet/",
            ["WorkerFleet:Agent:WorkerId"] = "gpu-9",
            ["WorkerFleet:Agent:Region"] = "us-east-1",
            ["WorkerFleet:Agent:Capacity"] = "16",
            ["WorkerFleet:Agent:Capabilities:0"] = "compute",
            ["WorkerFleet:Agent:Capabilities:1"] = "gpu",
            ["WorkerFleet:Agent:Metadata:rack"] = "r9",
            ["WorkerFleet:Agent:RegistrationKey"] = AgentHarness.RegistrationKey,
            ["WorkerFleet:Agent:MinimumBackoff"] = "00:00:02",
        }).Build();
        await using var agent = new AgentHarness(options => configuration.GetSection("WorkerFleet:Agent").Bind(options));
        agent.Service.Answer(Answers.Registered("gpu-9", "wft_token-of-gpu-9"));
        await agent.StartAsync();

        var registration = await agent.Service.NextRequestAsync();

        registration.PathAndQuery.Should().Be("/fleet/workers");
        JsonDocument.Parse(registration.Body!).RootElement.ToString().Should().Be(
            """{"id":"gpu-9","region":"us-east-1","capacity":16,"capabilities":["compute","gpu"],"metadata":{"rack":"r9"}}""");
        (await agent.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(1), "the first beat waits half of the bound minimum backoff");
    }

    private static TestCaseData Case(string name, Action<WorkerFleetAgentOptions> configure, string message) =>
        new TestCaseData(configure, message).SetArgDisplayNames(name);
}
