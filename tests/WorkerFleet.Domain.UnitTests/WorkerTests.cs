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
        worker.Schedulable.Should().BeTrue("a new worker is open to selection until an operator cordons it");
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
}
