using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Alarms.Queries;

public class GetAlarmsTests : ApplicationTest
{
    [Test]
    public async Task A_healthy_instance_has_no_alarms()
    {
        await RegisterActiveFleetAsync("worker", 10);

        var alarms = await SendAsync(new GetAlarms());

        alarms.Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task The_active_alarms_are_listed_oldest_first()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        var massFailureSince = Clock.GetUtcNow();
        Clock.Advance(TimeSpan.FromSeconds(20));
        Storage.Failure = new FakeDbException(isTransient: true);
        (await SendAsync(new GetWorker(fleet[0]))).Error.Should().BeOfType<StorageUnavailable>();
        Storage.Failure = null;

        var alarms = await SendAsync(new GetAlarms());

        alarms.Value.Alarms.Select(a => (a.Name, a.Since)).Should().Equal(
            [(Alarm.MassFailure, massFailureSince), (Alarm.StorageUnavailable, massFailureSince + TimeSpan.FromSeconds(20))],
            "reading the alarms is no proof that storage answers the requests that need it");
    }

    [Test]
    public async Task During_an_outage_the_alarms_answer_with_the_instance_own_storage_alarm()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 10);
        await LetOneTimeoutPassAsync(fleet[6..]);
        (await SendAsync(new MarkStaleWorkersOffline())).Value.Should().BeEmpty();
        Storage.Failure = new FakeDbException(isTransient: true);

        var alarms = await SendAsync(new GetAlarms());

        alarms.Value.Alarms.Should().ContainSingle().Which.Name.Should().Be(Alarm.StorageUnavailable,
            "the stored alarms cannot be read while storage is down, and monitoring must still see the outage");
    }
}
