using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class RunLifecycleChecksTests : ApplicationTest
{
    [Test]
    public async Task Lifecycle_checks_run_activation_then_stale_detection_then_reactivation()
    {
        await RegisterInAsync("going-silent", WorkerStatus.Active);
        await PassStartUpGraceAsync();
        var before = Storage.AppliedSweeps.Count;

        var report = await SendAsync(new RunLifecycleChecks());

        report.Value.Should().BeEquivalentTo(new LifecycleCheckReport([], [WorkerId.From("going-silent")], []));
        Storage.AppliedSweeps.Skip(before).Should().Equal(LifecycleSweep.Activation, LifecycleSweep.StaleDetection, LifecycleSweep.Reactivation);
    }

    [Test]
    public async Task One_run_reports_the_workers_each_check_moved()
    {
        await RegisterInAsync("coming-back", WorkerStatus.Offline);
        await RegisterInAsync("going-silent", WorkerStatus.Active);
        Clock.Advance(App.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        await RegisterAsync("new");
        await HeartbeatAsync("new");
        await HeartbeatAsync("coming-back");

        var report = await SendAsync(new RunLifecycleChecks());

        report.Value.Activated.Should().Equal(WorkerId.From("new"));
        report.Value.MarkedOffline.Should().Equal(WorkerId.From("going-silent"));
        report.Value.Reactivated.Should().Equal(WorkerId.From("coming-back"));
        (await GetAsync("new")).Status.Should().Be(WorkerStatus.Active);
        (await GetAsync("going-silent")).Status.Should().Be(WorkerStatus.Offline);
        (await GetAsync("coming-back")).Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public async Task A_worker_marked_offline_is_not_reactivated_by_the_same_run()
    {
        await RegisterInAsync("worker-1", WorkerStatus.Active);
        Clock.Advance(App.Options.HeartbeatTimeout + TimeSpan.FromSeconds(1));

        var report = await SendAsync(new RunLifecycleChecks());

        report.Value.MarkedOffline.Should().Equal(WorkerId.From("worker-1"));
        report.Value.Reactivated.Should().BeEmpty();
        (await GetAsync("worker-1")).Status.Should().Be(WorkerStatus.Offline);
    }
}
