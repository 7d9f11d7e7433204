using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Commands;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

/// <summary>Mass-failure protection judged per region (default: more than half of a region of at least 10), and the
/// operator's override of one region or of all, with its expiry.</summary>
public class RegionalMassFailureProtectionTests : ApplicationTest
{
    private const string Dark = "eu-west-1";
    private const string Healthy = "us-east-1";

    [Test]
    public async Task A_region_gone_dark_is_held_and_alarmed_while_the_other_region_is_swept_as_usual()
    {
        var dark = await RegisterActiveFleetAsync("dark", 10, Dark);
        var healthy = await RegisterActiveFleetAsync("healthy", 10, Healthy);
        await LetOneTimeoutPassAsync(healthy[3..]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(healthy[..3]);
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal([.. dark, .. healthy[3..]]);
        var alarm = (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle().Subject;
        alarm.Should().BeEquivalentTo(new { Name = Alarm.MassFailure, Region = Dark, Since = Clock.GetUtcNow(), Stale = 10, Active = 10 });
        alarm.Message.Should().Contain("10 of 10 Active workers in eu-west-1")
            .And.Contain("POST /alarms/mass-failure/override?region=eu-west-1")
            .And.Contain("ends by itself");
    }

    [Test]
    public async Task When_every_region_is_over_the_threshold_no_worker_moves()
    {
        var dark = await RegisterActiveFleetAsync("dark", 10, Dark);
        var healthy = await RegisterActiveFleetAsync("healthy", 10, Healthy);
        await LetOneTimeoutPassAsync(healthy[..4]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal([.. dark, .. healthy]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Select(a => (a.Region, a.Stale, a.Active))
            .Should().BeEquivalentTo([((string?)Dark, (int?)10, (int?)10), (Healthy, 6, 10)]);
    }

    [Test]
    public async Task A_held_region_recovers_by_itself_once_its_heartbeats_return()
    {
        var dark = await RegisterActiveFleetAsync("dark", 10, Dark);
        await LetOneTimeoutPassAsync([]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        foreach (var id in dark[..6])
        {
            await HeartbeatAsync(id);
        }

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(dark[6..]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task An_override_of_one_region_lets_that_region_through_and_keeps_holding_the_other()
    {
        var dark = await RegisterActiveFleetAsync("dark", 10, Dark);
        var healthy = await RegisterActiveFleetAsync("healthy", 10, Healthy);
        await LetOneTimeoutPassAsync([]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();

        (await SendAsync(new OverrideMassFailureProtection(Dark))).IsSuccess.Should().BeTrue();
        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(dark);
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(healthy);
        var report = (await SendAsync(new GetAlarms())).Value;
        report.Alarms.Should().ContainSingle().Which.Region.Should().Be(Healthy);
        report.Overrides.Should().BeEmpty("the sweep that used the override took it");
    }

    [Test]
    public async Task An_override_of_every_region_lets_each_held_region_through_once()
    {
        var dark = await RegisterActiveFleetAsync("dark", 10, Dark);
        var healthy = await RegisterActiveFleetAsync("healthy", 10, Healthy);
        await LetOneTimeoutPassAsync([]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();

        await SendAsync(new OverrideMassFailureProtection(null));
        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal([.. dark, .. healthy]);
        (await SendAsync(new GetAlarms())).Value.Should().BeEquivalentTo(new AlarmsReport([], []));
    }

    [Test]
    public async Task An_armed_override_shows_who_armed_it_and_when_it_lapses()
    {
        await RegisterActiveFleetAsync("dark", 10, Dark);
        var armedAt = Clock.GetUtcNow();
        App.Caller.Name = "admin key";

        var armed = await SendAsync(new OverrideMassFailureProtection(Dark));

        var expected = new MassFailureOverride(Dark, armedAt, "admin key", armedAt + App.Options.MassFailureOverrideTtl);
        armed.Value.Should().Be(expected);
        (await SendAsync(new GetAlarms())).Value.Overrides.Should().Equal(expected);
    }

    [Test]
    public async Task An_override_not_used_within_its_ttl_lapses_and_the_region_stays_held()
    {
        var dark = await RegisterActiveFleetAsync("dark", 10, Dark);
        await SendAsync(new OverrideMassFailureProtection(Dark));
        Clock.Advance(App.Options.MassFailureOverrideTtl);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(dark);
        var report = (await SendAsync(new GetAlarms())).Value;
        report.Overrides.Should().BeEmpty();
        report.Alarms.Should().ContainSingle().Which.Region.Should().Be(Dark);
    }

    [TestCase("")]
    [TestCase("eu\u0000west")]
    [TestCase("a-region-name-far-longer-than-the-sixty-four-characters-a-region-may-have")]
    public async Task An_override_of_a_region_no_worker_can_have_is_refused(string region)
    {
        var refused = await SendAsync(new OverrideMassFailureProtection(region));

        refused.Error.Should().BeOfType<InvalidConfiguration>();
        (await SendAsync(new GetAlarms())).Value.Overrides.Should().BeEmpty();
    }
}
