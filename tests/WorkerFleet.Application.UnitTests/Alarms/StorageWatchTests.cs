using Microsoft.Extensions.Time.Testing;
using WorkerFleet.Application.Alarms;
using WorkerFleet.Application.UnitTests.Testing;

namespace WorkerFleet.Application.UnitTests.Alarms;

/// <summary><see cref="StorageWatch"/> on its own: the alarm, the storage gauge, and which answer starts a grace period.</summary>
public class StorageWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private FakeTimeProvider _clock = null!;
    private FleetMeterCapture _capture = null!;
    private StorageWatch _watch = null!;

    [SetUp]
    public void Watch()
    {
        _clock = new FakeTimeProvider(Start);
        _capture = new FleetMeterCapture();
        _watch = new StorageWatch(_clock, _capture.Metrics);
    }

    [TearDown]
    public void StopWatching() => _capture.Dispose();

    [Test]
    public void Only_the_first_answer_after_the_start_and_after_an_outage_starts_a_grace_period()
    {
        _watch.Answered().Should().BeTrue("the first answer since the start is shared with the other instances");
        _watch.Answered().Should().BeFalse();
        _watch.GraceStartsAt.Should().Be(Start);

        _clock.Advance(TimeSpan.FromMinutes(1));
        _watch.Failed();
        _watch.Failed();
        _clock.Advance(TimeSpan.FromMinutes(1));

        _watch.Answered().Should().BeTrue("storage came back");
        _watch.Answered().Should().BeFalse();
        _watch.GraceStartsAt.Should().Be(Start.AddMinutes(2), "the grace period counts from the answer after the outage");
    }

    [Test]
    public void A_failure_raises_the_alarm_dated_from_its_first_failure_and_the_gauge_follows_storage()
    {
        _watch.Answered();
        _clock.Advance(TimeSpan.FromMinutes(1));
        _watch.Failed();
        _clock.Advance(TimeSpan.FromMinutes(1));
        _watch.Failed();

        _capture.Observe();
        _watch.Alarm.Should().Be(new Alarm(Alarm.StorageUnavailable, null, Start.AddMinutes(1),
            "The database does not answer this instance: requests get 503 and the lifecycle jobs skip their runs. " +
            "Stale detection waits one heartbeat timeout once it answers again."));
        _watch.Answered();
        _capture.Observe();

        _capture.Measured.Where(m => m.Instrument == "workerfleet.storage.available").Select(m => m.Value).Should().Equal(0, 1);
        _watch.Alarm.Should().BeNull();
    }
}
