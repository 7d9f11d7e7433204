using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Common;

public class StorageFailureTests : ApplicationTest
{
    private static IEnumerable<SentRequest> EveryUseCase() =>
    [
        SentRequest.Of(new RegisterWorker("worker-1", "us-east-1", 10)),
        SentRequest.Of(new UnregisterWorker("worker-1")),
        SentRequest.Of(new UnregisterWorker("worker-1", UnissuedToken)),
        SentRequest.Of(new RecordHeartbeat("worker-1", UnissuedToken)),
        SentRequest.Of(new RotateWorkerToken("worker-1")),
        SentRequest.Of(new UpdateWorkerStatus("worker-1", "Failed")),
        SentRequest.Of(new ActivatePendingWorkers()),
        SentRequest.Of(new MarkStaleWorkersOffline()),
        SentRequest.Of(new ReactivateOfflineWorkers()),
        SentRequest.Of(new RunLifecycleChecks()),
        SentRequest.Of(new GetWorker("worker-1")),
        SentRequest.Of(new GetLastHeartbeat("worker-1")),
        SentRequest.Of(new GetHeartbeatHistory("worker-1")),
        SentRequest.Of(new GetWorkerMetadata("worker-1")),
        SentRequest.Of(new ListWorkers { Status = "Active" }),
        SentRequest.Of(new ListWorkers()),
        SentRequest.Of(new ListWorkers { Status = "Active" }),
        SentRequest.Of(new GetWorkersWithMetadata()),
        SentRequest.Of(new GetWorkerCounts()),
        SentRequest.Of(new IdentifyWorker(UnissuedToken)),
    ];

    private static IEnumerable<TestCaseData> TransientFailures()
    {
        yield return new TestCaseData(new FakeDbException(isTransient: true)).SetArgDisplayNames("transient database failure");
        yield return new TestCaseData(new TimeoutException()).SetArgDisplayNames("timeout");
        yield return new TestCaseData(new InvalidOperationException("wrapped", new FakeDbException(isTransient: true)))
            .SetArgDisplayNames("transient database failure wrapped in another exception");
    }

    private static IEnumerable<TestCaseData> Bugs()
    {
        yield return new TestCaseData(new FakeDbException(isTransient: false)).SetArgDisplayNames("non-transient database failure");
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetArgDisplayNames("bug");
    }

    [TestCaseSource(nameof(EveryUseCase))]
    public async Task A_transient_database_failure_in_any_use_case_answers_StorageUnavailable(SentRequest request)
    {
        await PassStartUpGraceAsync();
        Storage.Failure = new FakeDbException(isTransient: true);
        var callsBefore = Storage.Calls;

        var error = await request.SendAsync(App);

        error.Should().Be(new StorageUnavailable("the database did not answer"));
        Storage.Calls.Should().Be(callsBefore + 1);
    }

    [TestCaseSource(nameof(TransientFailures))]
    public async Task A_failure_worth_retrying_answers_StorageUnavailable(Exception failure)
    {
        Storage.Failure = failure;

        var result = await SendAsync(new GetWorker("worker-1"));

        result.Error.Should().BeOfType<StorageUnavailable>();
    }

    [TestCaseSource(nameof(Bugs))]
    public async Task Any_other_failure_propagates_unchanged(Exception failure)
    {
        Storage.Failure = failure;

        var thrown = await FluentActions.Awaiting(() => SendAsync(new RegisterWorker("worker-1", "us-east-1", 10)))
            .Should().ThrowAsync<Exception>();

        thrown.Which.Should().BeSameAs(failure);
    }

    [Test]
    public async Task The_use_cases_answer_again_once_storage_is_back()
    {
        await RegisterAsync("worker-1");
        Storage.Failure = new FakeDbException(isTransient: true);
        (await SendAsync(new GetWorker("worker-1"))).Error.Should().BeOfType<StorageUnavailable>();

        Storage.Failure = null;

        (await SendAsync(new GetWorker("worker-1"))).Value.Id.Should().Be(WorkerId.From("worker-1"));
    }
}
