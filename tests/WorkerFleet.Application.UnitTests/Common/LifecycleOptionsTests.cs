using System.Globalization;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;

namespace WorkerFleet.Application.UnitTests.Common;

public class LifecycleOptionsTests
{
    [Test]
    public async Task Without_settings_the_timeout_is_two_minutes_and_the_history_keeps_100_heartbeats()
    {
        var options = await ResolveAsync([]);

        options.HeartbeatTimeout.Should().Be(TimeSpan.FromMinutes(2));
        options.HeartbeatHistorySize.Should().Be(100);
    }

    [Test]
    public async Task Without_settings_mass_failure_protection_holds_sweeps_of_more_than_half_of_a_fleet_of_at_least_10()
    {
        var options = await ResolveAsync([]);

        options.MassFailureThreshold.Should().Be(0.5);
        options.MassFailureMinimumFleet.Should().Be(10);
    }

    [TestCase("0.01", "1")]
    [TestCase("0.5", "10")]
    [TestCase("1", "100000")]
    public async Task Mass_failure_settings_within_their_ranges_are_bound(string threshold, string minimumFleet)
    {
        var options = await ResolveAsync(new() { ["MassFailureThreshold"] = threshold, ["MassFailureMinimumFleet"] = minimumFleet });

        options.MassFailureThreshold.Should().Be(double.Parse(threshold, CultureInfo.InvariantCulture));
        options.MassFailureMinimumFleet.Should().Be(int.Parse(minimumFleet, CultureInfo.InvariantCulture));
    }

    [TestCase("00:00:03", "1")]
    [TestCase("00:00:45", "250")]
    [TestCase("1.00:00:00", "10000")]
    public async Task Settings_within_their_ranges_are_bound(string timeout, string historySize)
    {
        var options = await ResolveAsync(new() { ["HeartbeatTimeout"] = timeout, ["HeartbeatHistorySize"] = historySize });

        options.HeartbeatTimeout.Should().Be(TimeSpan.Parse(timeout, CultureInfo.InvariantCulture));
        options.HeartbeatHistorySize.Should().Be(int.Parse(historySize, CultureInfo.InvariantCulture));
    }

    [TestCase("HeartbeatTimeout", "00:00:00")]
    [TestCase("HeartbeatTimeout", "-00:01:00")]
    [TestCase("HeartbeatHistorySize", "0")]
    [TestCase("HeartbeatHistorySize", "-1")]
    [TestCase("HeartbeatHistorySize", "10001")]
    [TestCase("MassFailureThreshold", "0")]
    [TestCase("MassFailureThreshold", "-0.5")]
    [TestCase("MassFailureThreshold", "1.01")]
    [TestCase("MassFailureThreshold", "NaN")]
    [TestCase("MassFailureMinimumFleet", "0")]
    [TestCase("MassFailureMinimumFleet", "-1")]
    [TestCase("MaxHeartbeatsPerSecond", "0")]
    [TestCase("MaxHeartbeatsPerSecond", "-5")]
    [TestCase("MinHeartbeatInterval", "00:00:00")]
    [TestCase("MinHeartbeatInterval", "00:00:40.001")]
    public async Task A_setting_out_of_range_is_refused_naming_the_setting(string setting, string value)
    {
        var resolving = () => ResolveAsync(new() { [setting] = value });

        var refused = await resolving.Should().ThrowAsync<OptionsValidationException>();

        refused.Which.Failures.Should().ContainSingle().Which.Should().StartWith($"WorkerFleet:Lifecycle:{setting} must be");
    }

    [Test]
    public async Task A_minimum_heartbeat_interval_a_worker_could_go_stale_by_is_refused_whatever_the_timeout()
    {
        var resolving = () => ResolveAsync(new() { ["HeartbeatTimeout"] = "00:00:02" });

        var refused = await resolving.Should().ThrowAsync<OptionsValidationException>();

        refused.Which.Failures.Should().Equal(
            "WorkerFleet:Lifecycle:MinHeartbeatInterval must be a positive time span of at most a third of HeartbeatTimeout, " +
            "so that a worker following it cannot go stale.");
    }

    [Test]
    public async Task A_use_case_run_with_settings_out_of_range_throws_instead_of_answering()
    {
        await using var app = await TestApplication.StartAsync(new Dictionary<string, string?> { ["HeartbeatHistorySize"] = "0" });

        var sending = () => app.SendAsync(new ActivatePendingWorkers());

        await sending.Should().ThrowAsync<OptionsValidationException>();
    }

    private static async Task<LifecycleOptions> ResolveAsync(Dictionary<string, string?> settings)
    {
        await using var app = await TestApplication.StartAsync(settings);
        return app.Options;
    }
}
