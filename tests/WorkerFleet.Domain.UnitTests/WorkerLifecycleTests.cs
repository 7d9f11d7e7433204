using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Domain.UnitTests;

public class WorkerLifecycleTests
{
    private static readonly (WorkerStatus From, WorkerStatus To, TransitionTrigger Trigger)[] LegalTransitions =
    [
        (WorkerStatus.Pending, WorkerStatus.Active, TransitionTrigger.Activation),
        (WorkerStatus.Active, WorkerStatus.Offline, TransitionTrigger.StaleDetection),
        (WorkerStatus.Offline, WorkerStatus.Active, TransitionTrigger.Reactivation),
        (WorkerStatus.Pending, WorkerStatus.Failed, TransitionTrigger.Operator),
        (WorkerStatus.Active, WorkerStatus.Failed, TransitionTrigger.Operator),
        (WorkerStatus.Offline, WorkerStatus.Failed, TransitionTrigger.Operator),
    ];

    private static IEnumerable<TestCaseData> EveryTransition() =>
        from source in Enum.GetValues<WorkerStatus>()
        from target in Enum.GetValues<WorkerStatus>()
        from trigger in Enum.GetValues<TransitionTrigger>()
        select new TestCaseData(source, target, trigger, LegalTransitions.Contains((source, target, trigger)))
            .SetName($"{source}_to_{target}_by_{trigger}");

    [TestCaseSource(nameof(EveryTransition))]
    public void Only_the_documented_transitions_are_legal(WorkerStatus from, WorkerStatus to, TransitionTrigger trigger, bool legal) =>
        WorkerLifecycle.IsLegal(from, to, trigger).Should().Be(legal);

    [Test]
    public void Failed_is_terminal_for_every_trigger() =>
        Enum.GetValues<WorkerStatus>()
            .SelectMany(to => Enum.GetValues<TransitionTrigger>().Select(trigger => WorkerLifecycle.IsLegal(WorkerStatus.Failed, to, trigger)))
            .Should().AllBeEquivalentTo(false);

    [Test]
    public void Every_sweep_is_a_legal_transition_for_its_trigger()
    {
        foreach (var sweep in new[] { LifecycleSweep.Activation, LifecycleSweep.StaleDetection, LifecycleSweep.Reactivation })
        {
            WorkerLifecycle.IsLegal(sweep.From, sweep.To, sweep.Trigger).Should().BeTrue(sweep.ToString());
        }
    }
}
