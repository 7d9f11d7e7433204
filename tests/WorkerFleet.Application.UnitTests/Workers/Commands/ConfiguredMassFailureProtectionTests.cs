using System.Globalization;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

/// <summary>Mass-failure protection with a configured threshold and minimum fleet, on a fleet of exactly the minimum
/// size, of which <c>atThreshold</c> workers are exactly the threshold share. 0.58 × 50 is not exactly 29 in binary
/// floating point (it is 28.999999999999996).</summary>
[TestFixture("0.2", 5, 1)]
[TestFixture("0.58", 50, 29)]
public class ConfiguredMassFailureProtectionTests(string threshold, int minimumFleet, int atThreshold) : ApplicationTest
{
    protected override IReadOnlyDictionary<string, string?> LifecycleSettings { get; } = new Dictionary<string, string?>
    {
        ["MassFailureThreshold"] = threshold,
        ["MassFailureMinimumFleet"] = minimumFleet.ToString(CultureInfo.InvariantCulture),
    };

    [Test]
    public void The_configured_settings_are_the_ones_in_force()
    {
        App.Options.MassFailureThreshold.Should().Be(double.Parse(threshold, CultureInfo.InvariantCulture));
        App.Options.MassFailureMinimumFleet.Should().Be(minimumFleet);
    }

    [Test]
    public async Task Exactly_the_threshold_share_going_stale_is_marked_offline()
    {
        var fleet = await RegisterActiveFleetAsync("worker", minimumFleet);
        await LetOneTimeoutPassAsync(fleet[atThreshold..]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet[..atThreshold]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task One_worker_more_than_the_threshold_share_going_stale_is_held_back()
    {
        var fleet = await RegisterActiveFleetAsync("worker", minimumFleet);
        await LetOneTimeoutPassAsync(fleet[(atThreshold + 1)..]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle()
            .Which.Message.Should().Contain($"{atThreshold + 1} of {minimumFleet} Active workers");
    }

    [Test]
    public async Task A_fleet_one_smaller_than_the_configured_minimum_is_marked_offline_when_all_of_it_goes_stale()
    {
        var fleet = await RegisterActiveFleetAsync("worker", minimumFleet - 1);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().NotContain(a => a.Name == Alarm.MassFailure);
    }
}
