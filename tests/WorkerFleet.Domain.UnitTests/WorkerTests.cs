using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Domain.UnitTests;

public class WorkerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Worker NewWorker() => Worker.Register(
        WorkerId.From("worker-1"),
        new WorkerConfiguration("us-east-1", 10, ["compute"], new Dictionary<string, string>()),
        Now,
        WorkerToken.Issue());

    [Test]
    public void A_registered_worker_starts_pending_without_heartbeats()
    {
        var worker = NewWorker();

        worker.Status.Should().Be(WorkerStatus.Pending);
        worker.LastHeartbeatAt.Should().BeNull();
        worker.HeartbeatsRecorded.Should().Be(0);
        worker.RegisteredAt.Should().Be(Now);
    }

    [Test]
    public void A_heartbeat_never_changes_the_status()
    {
        var worker = NewWorker();

        worker.RecordHeartbeat(Now);

        worker.Status.Should().Be(WorkerStatus.Pending);
        worker.LastHeartbeatAt.Should().Be(Now);
        worker.HeartbeatsRecorded.Should().Be(1);
    }

    [Test]
    public void An_older_heartbeat_does_not_move_the_last_heartbeat_back()
    {
        var worker = NewWorker();
        worker.RecordHeartbeat(Now);

        worker.RecordHeartbeat(Now.AddSeconds(-5));

        worker.LastHeartbeatAt.Should().Be(Now);
        worker.HeartbeatsRecorded.Should().Be(2);
    }

    [Test]
    public void Activation_needs_a_recent_heartbeat_not_just_any()
    {
        var worker = NewWorker();
        worker.RecordHeartbeat(Now.AddMinutes(-10));

        worker.Apply(LifecycleSweep.Activation, cutoff: Now.AddMinutes(-2)).Should().BeFalse();
        worker.Status.Should().Be(WorkerStatus.Pending);

        worker.RecordHeartbeat(Now);
        worker.Apply(LifecycleSweep.Activation, cutoff: Now.AddMinutes(-2)).Should().BeTrue();
        worker.Status.Should().Be(WorkerStatus.Active);
    }

    [Test]
    public void The_full_cycle_pending_active_offline_active_bumps_the_version_each_time()
    {
        var worker = NewWorker();
        worker.RecordHeartbeat(Now);

        worker.Apply(LifecycleSweep.Activation, Now.AddMinutes(-2)).Should().BeTrue();
        worker.Apply(LifecycleSweep.StaleDetection, Now.AddMinutes(1)).Should().BeTrue();
        worker.Status.Should().Be(WorkerStatus.Offline);
        worker.RecordHeartbeat(Now.AddMinutes(3));
        worker.Apply(LifecycleSweep.Reactivation, Now.AddMinutes(1)).Should().BeTrue();

        worker.Status.Should().Be(WorkerStatus.Active);
        worker.Version.Should().Be(3);
    }

    [Test]
    public void An_illegal_transition_is_refused_and_changes_nothing()
    {
        var worker = NewWorker();
        worker.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator).Should().BeNull();

        var error = worker.TransitionTo(WorkerStatus.Active, TransitionTrigger.Operator);

        error.Should().Be(new InvalidStateTransition(worker.Id, WorkerStatus.Failed, WorkerStatus.Active));
        worker.Status.Should().Be(WorkerStatus.Failed);
        worker.Version.Should().Be(1);
    }

    [Test]
    public void A_heartbeat_on_a_failed_worker_is_recorded_but_it_stays_failed()
    {
        var worker = NewWorker();
        worker.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator);

        worker.RecordHeartbeat(Now);

        worker.Status.Should().Be(WorkerStatus.Failed);
        worker.Apply(LifecycleSweep.Activation, Now.AddMinutes(-2)).Should().BeFalse();
        worker.Apply(LifecycleSweep.Reactivation, Now.AddMinutes(-2)).Should().BeFalse();
    }
}
