using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Alarms;

/// <summary>The storage-unavailable alarm: raised by a transient storage failure, cleared once storage answers.</summary>
public class StorageUnavailableAlarmTests : ApplicationTest
{
    [Test]
    public async Task A_transient_storage_failure_raises_storage_unavailable_dated_from_the_first_failure()
    {
        await RegisterAsync("worker-1");
        Storage.Failure = new FakeDbException(isTransient: true);
        var firstFailure = Clock.GetUtcNow();
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().BeOfType<StorageUnavailable>();
        Clock.Advance(TimeSpan.FromSeconds(30));
        (await SendAsync(new ListWorkers())).Error.Should().BeOfType<StorageUnavailable>();

        var alarms = await SendAsync(new GetAlarms());

        var alarm = alarms.Value.Alarms.Should().ContainSingle().Subject;
        alarm.Name.Should().Be(Alarm.StorageUnavailable);
        alarm.Since.Should().Be(firstFailure);
        alarm.Message.Should().Contain("database does not answer");
    }

    [Test]
    public async Task The_next_request_storage_answers_clears_storage_unavailable()
    {
        await RegisterAsync("worker-1");
        Storage.Failure = new FakeDbException(isTransient: true);
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().BeOfType<StorageUnavailable>();
        Storage.Failure = null;

        (await SendAsync(new GetWorker("worker-1"))).IsSuccess.Should().BeTrue();

        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [Test]
    public async Task A_later_outage_is_dated_from_its_own_first_failure()
    {
        Storage.Failure = new FakeDbException(isTransient: true);
        await SendAsync(new GetWorker("worker-1"));
        Storage.Failure = null;
        await SendAsync(new GetWorker("worker-1"));
        Clock.Advance(TimeSpan.FromMinutes(5));
        var secondOutage = Clock.GetUtcNow();
        Storage.Failure = new FakeDbException(isTransient: true);

        (await SendAsync(new GetWorker("worker-1"))).Error.Should().BeOfType<StorageUnavailable>();

        (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle()
            .Which.Since.Should().Be(secondOutage);
    }

    [Test]
    public async Task A_failure_that_is_a_bug_raises_no_storage_alarm()
    {
        Storage.Failure = new FakeDbException(isTransient: false);
        await FluentActions.Awaiting(() => SendAsync(new GetWorker("worker-1"))).Should().ThrowAsync<FakeDbException>();
        Storage.Failure = null;

        (await SendAsync(new GetAlarms())).Value.Alarms.Should().BeEmpty();
    }

    [TestCaseSource(typeof(OutageRequests), nameof(OutageRequests.NotAnsweredByStorage))]
    public async Task Storage_unavailable_stays_raised_through_requests_storage_did_not_answer(SentRequest request)
    {
        Storage.Failure = new FakeDbException(isTransient: true);
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().BeOfType<StorageUnavailable>();

        await request.SendAsync(App);

        (await SendAsync(new GetAlarms())).Value.Alarms.Should().ContainSingle(a => a.Name == Alarm.StorageUnavailable);
    }
}
