using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers;

/// <summary>Every request and result that carries a worker token prints it redacted, so no log line shows one.</summary>
public class TokenRedactionTests
{
    private static readonly string Token = WorkerToken.Issue().Value;

    private static IEnumerable<TestCaseData> Carriers()
    {
        yield return Case(new RecordHeartbeat("worker-1", Token), "RecordHeartbeat { Id = worker-1, Token = wft_*** }");
        yield return Case(new UnregisterWorker("worker-1", Token), "UnregisterWorker { Id = worker-1, Token = wft_*** }");
        yield return Case(new UnregisterWorker("worker-1"), "UnregisterWorker { Id = worker-1, Token = null }");
        yield return Case(new IdentifyWorker(Token), $"IdentifyWorker {{ Token = {WorkerToken.Redacted} }}");
        yield return Case(new IssuedWorkerToken(WorkerId.From("worker-1"), Token), "IssuedWorkerToken { WorkerId = worker-1, Token = wft_*** }");
    }

    [TestCaseSource(nameof(Carriers))]
    public void Printing_shows_the_redacted_token_only(object carrier, string expected) => carrier.ToString().Should().Be(expected);

    [Test]
    public void A_registered_worker_prints_its_id_and_the_redacted_token()
    {
        var worker = Worker.Register(WorkerId.From("worker-1"), new WorkerConfiguration("r", 1, [], new Dictionary<string, string>()),
            DateTimeOffset.UnixEpoch, WorkerToken.Issue());

        new RegisteredWorker(worker, Token).ToString().Should().Be("RegisteredWorker { Worker = worker-1, Token = wft_*** }");
    }

    private static TestCaseData Case(object carrier, string expected) =>
        new TestCaseData(carrier, expected).SetArgDisplayNames(carrier.GetType().Name);
}
