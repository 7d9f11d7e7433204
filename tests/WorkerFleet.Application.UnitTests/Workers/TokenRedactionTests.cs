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
        yield return new TestCaseData(new RecordHeartbeat("worker-1", Token)).SetArgDisplayNames(nameof(RecordHeartbeat));
        yield return new TestCaseData(new UnregisterWorker("worker-1", Token)).SetArgDisplayNames(nameof(UnregisterWorker));
        yield return new TestCaseData(new IdentifyWorker(Token)).SetArgDisplayNames(nameof(IdentifyWorker));
        yield return new TestCaseData(new IssuedWorkerToken(WorkerId.From("worker-1"), Token)).SetArgDisplayNames(nameof(IssuedWorkerToken));
    }

    [TestCaseSource(nameof(Carriers))]
    public void Printing_shows_the_redacted_token_only(object carrier)
    {
        var printed = carrier.ToString();

        printed.Should().NotContain(Token).And.Contain(WorkerToken.Redacted).And.StartWith(carrier.GetType().Name + " { ");
    }
}
