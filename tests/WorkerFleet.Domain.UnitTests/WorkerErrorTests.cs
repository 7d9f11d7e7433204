using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Domain.UnitTests;

/// <summary>Each error's message is the problem detail callers read: it names what it is about.</summary>
public class WorkerErrorTests
{
    private static readonly WorkerId Id = WorkerId.From("gpu-7");

    private static IEnumerable<TestCaseData> Errors()
    {
        yield return Case(new WorkerAlreadyExists(Id), "Worker 'gpu-7' is already registered.");
        yield return Case(new WorkerNotFound(Id), "Worker 'gpu-7' is not registered.");
        yield return Case(new InvalidConfiguration(new Dictionary<string, string[]>()), "One or more fields are invalid.");
        yield return Case(new InvalidStateTransition(Id, WorkerStatus.Failed, WorkerStatus.Active), "Worker 'gpu-7' cannot move from Failed to Active.");
        yield return Case(new StatusConflict(Id, WorkerStatus.Active, WorkerStatus.Offline), "Worker 'gpu-7' is Offline, not Active as expected.");
        yield return Case(new InvalidWorkerToken(), "The worker token is not valid.");
        yield return Case(new StorageUnavailable("timeout"), "Worker storage is unavailable: timeout");
        yield return Case(new EventsExpired(41, 99), "Events after 41 up to 99 were deleted by retention; read on after 99.");
    }

    [TestCaseSource(nameof(Errors))]
    public void The_message_says_what_went_wrong(WorkerError error, string message) => error.Message.Should().Be(message);

    private static TestCaseData Case(WorkerError error, string message) => new TestCaseData(error, message).SetArgDisplayNames(error.GetType().Name);
}
