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

        alarms.Value.Should().BeEmpty();
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

        var alarms = await SendAsync(new GetAlarms());

        alarms.Value.Select(a => (a.Name, a.Since)).Should().Equal(
            (Alarm.MassFailure, massFailureSince),
            (Alarm.StorageUnavailable, massFailureSince + TimeSpan.FromSeconds(20)));
    }
}
