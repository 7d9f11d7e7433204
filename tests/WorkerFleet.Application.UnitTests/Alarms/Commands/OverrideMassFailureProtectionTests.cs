using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Commands;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Alarms.Commands;

/// <summary>The operator's one-shot override of mass-failure protection (default: more than half of at least 10).</summary>
public class OverrideMassFailureProtectionTests : ApplicationTest
{
    [Test]
    public async Task An_override_lets_the_held_back_sweep_mark_its_workers_offline_and_clears_the_alarm()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();

        (await SendAsync(new OverrideMassFailureProtection(null))).IsSuccess.Should().BeTrue();
        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet[..6]);
        (await IdsInAsync(WorkerStatus.Offline)).Should().Equal(fleet[..6]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task An_override_is_used_once_so_the_next_mass_failure_is_held_again()
    {
        var fleet = await RegisterActiveFleetAsync("first", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        await SendAsync(new OverrideMassFailureProtection(null));
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().HaveCount(6);
        var secondWave = await RegisterActiveFleetAsync("second", 10);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal([.. fleet[6..], .. secondWave]);
        var alarm = (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle().Subject;
        alarm.Name.Should().Be(Alarm.MassFailure);
        alarm.Since.Should().Be(Clock.GetUtcNow());
        alarm.Message.Should().Contain("14 of 14 Active workers");
    }

    [Test]
    public async Task Overriding_twice_still_lets_only_one_held_back_sweep_through()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 30);
        await LetOneTimeoutPassAsync(fleet[16..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        await SendAsync(new OverrideMassFailureProtection(null));
        await SendAsync(new OverrideMassFailureProtection(null));
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().HaveCount(16);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet[16..]);
    }

    [Test]
    public async Task An_override_armed_while_nothing_is_held_is_not_used_up_by_a_normal_sweep()
    {
        var fleet = await RegisterActiveFleetAsync("first", 10);
        (await SendAsync(new OverrideMassFailureProtection(null))).IsSuccess.Should().BeTrue();
        await LetOneTimeoutPassAsync(fleet[5..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Select(id => id.Value).Should().Equal(fleet[..5]);
        var secondWave = await RegisterActiveFleetAsync("second", 10);
        await LetOneTimeoutPassAsync([]);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal([.. fleet[5..], .. secondWave]);
        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }
}
