using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

/// <summary>Stale detection with the default protection: a sweep that would take more than half of a fleet of at
/// least 10 Active workers Offline takes none and raises the mass-failure alarm.</summary>
public class MassFailureProtectionTests : ApplicationTest
{
    [Test]
    public async Task Exactly_half_of_the_fleet_going_stale_is_no_mass_failure_and_is_marked_offline()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[5..]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet[..5]);
        (await IdsInAsync(WorkerStatus.Offline)).Should().Equal(fleet[..5]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task More_than_half_of_the_fleet_going_stale_marks_none_offline_and_raises_the_alarm_with_the_counts()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
        var alarm = (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle().Subject;
        alarm.Name.Should().Be(Alarm.MassFailure);
        alarm.Since.Should().Be(Clock.GetUtcNow());
        alarm.Message.Should().Contain("6 of 10 Active workers");
    }

    [Test]
    public async Task The_alarm_stays_dated_from_the_first_held_sweep_while_later_sweeps_keep_holding_with_fresh_counts()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        var firstHeld = Clock.GetUtcNow();

        await LetOneTimeoutPassAsync(fleet[7..]);
        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
        var alarm = (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle().Subject;
        alarm.Since.Should().Be(firstHeld).And.BeBefore(Clock.GetUtcNow());
        alarm.Message.Should().Contain("7 of 10 Active workers");
    }

    [Test]
    public async Task A_fleet_smaller_than_the_minimum_is_marked_offline_even_when_all_of_it_goes_stale()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 9);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task A_fleet_of_exactly_the_minimum_size_is_protected()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle(a => a.Name == Alarm.MassFailure);
    }

    [Test]
    public async Task Only_active_workers_count_toward_the_fleet_and_its_stale_share()
    {
        await RegisterInAsync("failed", WorkerStatus.Failed);
        await RegisterAsync("pending");
        var fleet = await RegisterActiveFleetAsync("worker", 9);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet);
        (await GetAsync("pending")).Status.Should().Be(WorkerStatus.Pending);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task The_alarm_is_cleared_when_a_later_sweep_proceeds()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle(a => a.Name == Alarm.MassFailure);
        await HeartbeatAsync(fleet[0]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet[1..6]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task Activation_goes_on_while_stale_detection_is_held_back()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        await RegisterAsync("newcomer");
        await HeartbeatAsync("newcomer");

        var report = await SendAsync(new RunLifecycleChecks());

        report.Value.Activated.Should().Equal(WorkerId.From("newcomer"));
        report.Value.MarkedOffline.Should().BeEmpty();
    }
}
