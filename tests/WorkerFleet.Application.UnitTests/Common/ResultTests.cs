using WorkerFleet.Application.Common;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Common;

/// <summary>The result every use case answers, as a host uses it: its value, its error, and a projection of either.</summary>
public class ResultTests
{
    private static readonly WorkerNotFound NotFound = new(WorkerId.From("ghost"));

    [Test]
    public void A_success_projects_its_value_and_a_failure_its_error()
    {
        Result<int>.Success(7).Match(v => $"value {v}", e => e.Message).Should().Be("value 7");
        Result<int>.Failure(NotFound).Match(v => $"value {v}", e => e.Message).Should().Be("Worker 'ghost' is not registered.");
    }

    [Test]
    public void Reading_the_value_of_a_failure_throws_with_the_errors_message()
    {
        Result<int> failed = NotFound;

        FluentActions.Invoking(() => failed.Value).Should().Throw<InvalidOperationException>()
            .WithMessage("The result failed: Worker 'ghost' is not registered.");
    }

    [Test]
    public async Task Collecting_the_lifecycle_checks_needs_something_to_run_them_with() =>
        await FluentActions.Awaiting(() => LifecycleCheckReport.CollectAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
}
