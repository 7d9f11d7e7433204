using Microsoft.Extensions.Logging;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

/// <summary>Stale detection owes the fleet one heartbeat timeout after this instance starts handling requests and
/// after storage answers again, because workers could not reach us meanwhile.</summary>
public class StaleDetectionGraceTests : ApplicationTest
{
    private static readonly TimeSpan Microsecond = TimeSpan.FromMicroseconds(1);

    private TimeSpan Timeout => App.Options.HeartbeatTimeout;

    [Test]
    public async Task After_a_restart_stale_detection_marks_nobody_until_one_timeout_after_the_first_request()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 2);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await RestartAsync();
        Clock.Advance(TimeSpan.FromMinutes(5));

        var atFirstRequest = await SendAsync(new MarkStaleWorkersOffline());
        Clock.Advance(Timeout - Microsecond);
        var justBeforeGraceEnds = await SendAsync(new MarkStaleWorkersOffline());

        atFirstRequest.Value.Should().BeEmpty();
        justBeforeGraceEnds.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
    }

    [Test]
    public async Task After_a_restart_stale_detection_marks_stale_workers_from_one_timeout_after_the_first_request()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 2);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await RestartAsync();
        Clock.Advance(TimeSpan.FromMinutes(5));
        (await SendAsync(new ListWorkers())).Value.Items.Should().HaveCount(2);
        Clock.Advance(Timeout);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet);
    }

    [Test]
    public async Task An_instance_that_starts_beside_a_running_one_makes_the_running_ones_stale_detection_wait_too()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 2);
        await PassStartUpGraceAsync();
        Clock.Advance(Timeout + TimeSpan.FromMinutes(1));
        await using var started = TestApplication.BesideOf(App, []);
        (await started.SendAsync(new ListWorkers())).IsSuccess.Should().BeTrue("its first answer shares its grace period");

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty("workers could not reach the new instance before it started");
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
    }

    [Test]
    public async Task After_a_storage_outage_stale_detection_marks_nobody_until_one_timeout_after_storage_answers_again()
    {
        var fleet = await StartOutageAsync();
        Clock.Advance(TimeSpan.FromMinutes(10));
        await RecoverAsync(fleet);

        var atRecovery = await SendAsync(new MarkStaleWorkersOffline());
        Clock.Advance(Timeout - Microsecond);
        var justBeforeGraceEnds = await SendAsync(new MarkStaleWorkersOffline());

        atRecovery.Value.Should().BeEmpty();
        justBeforeGraceEnds.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
    }

    [Test]
    public async Task After_a_storage_outage_stale_detection_marks_stale_workers_from_one_timeout_after_storage_answers_again()
    {
        var fleet = await StartOutageAsync();
        Clock.Advance(TimeSpan.FromMinutes(10));
        await RecoverAsync(fleet);
        Clock.Advance(Timeout);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Select(id => id.Value).Should().Equal(fleet);
    }

    [TestCaseSource(typeof(OutageRequests), nameof(OutageRequests.NotAnsweredByStorage))]
    public async Task The_grace_after_an_outage_counts_from_storage_answering_not_from_a_request_answered_during_the_outage(SentRequest request)
    {
        var fleet = await StartOutageAsync();
        await request.SendAsync(App);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await RecoverAsync(fleet);

        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty();
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
    }

    [Test]
    public async Task A_grace_period_that_could_not_be_shared_is_shared_by_the_next_answer_and_runs_from_it()
    {
        var fleet = await RegisterActiveFleetAsync("worker", 2);
        Clock.Advance(TimeSpan.FromMinutes(10));
        await RestartAsync();
        Storage.GraceFailure = new FakeDbException(isTransient: true);

        (await SendAsync(new ListWorkers())).IsSuccess.Should().BeTrue("the request itself was answered");
        Storage.GraceFailure = null;
        Clock.Advance(Timeout);
        (await SendAsync(new ListWorkers())).IsSuccess.Should().BeTrue();
        var markedOffline = await SendAsync(new MarkStaleWorkersOffline());

        markedOffline.Value.Should().BeEmpty("the grace period runs from the answer that shared it");
        (await IdsInAsync(WorkerStatus.Active)).Should().Equal(fleet);
        App.Logs.Entries.Should().ContainSingle(e => e.Message == "Storage unavailable while sharing stale detection's grace period")
            .Which.Level.Should().Be(LogLevel.Warning);
    }

    /// <summary>Past the start-up grace, two Active workers, then storage stops answering; returns their ids.</summary>
    private async Task<string[]> StartOutageAsync()
    {
        await PassStartUpGraceAsync();
        var fleet = await RegisterActiveFleetAsync("worker", 2);
        Storage.Failure = new FakeDbException(isTransient: true);
        (await SendAsync(new MarkStaleWorkersOffline())).Error.Should().BeOfType<StorageUnavailable>();
        return fleet;
    }

    /// <summary>Storage answers again, first to a read of one of the workers.</summary>
    private async Task RecoverAsync(string[] fleet)
    {
        Storage.Failure = null;
        (await GetAsync(fleet[0])).Status.Should().Be(WorkerStatus.Active);
    }
}
