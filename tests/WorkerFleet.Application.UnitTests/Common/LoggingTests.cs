using Microsoft.Extensions.Logging;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Queries;

namespace WorkerFleet.Application.UnitTests.Common;

public class LoggingTests : ApplicationTest
{
    [Test]
    public async Task A_handled_use_case_is_logged_at_debug_level_with_its_name()
    {
        await SendAsync(new GetAllWorkers());

        App.Logs.Entries.Should().ContainSingle()
            .Which.Should().Match<LogEntry>(e => e.Level == LogLevel.Debug && e.Message.StartsWith("GetAllWorkers handled in ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_failed_use_case_is_logged_with_its_error_type()
    {
        await SendAsync(new GetWorker("ghost"));
        await SendAsync(new GetWorker("bad id"));

        App.Logs.Entries.Select(e => (e.Level, e.Message[..e.Message.IndexOf(" in ", StringComparison.Ordinal)])).Should().Equal(
            (LogLevel.Information, "GetWorker failed with WorkerNotFound"),
            (LogLevel.Information, "GetWorker failed with InvalidConfiguration"));
    }

    [Test]
    public async Task A_storage_outage_is_logged_as_a_warning_with_the_exception()
    {
        var outage = new FakeDbException(isTransient: true);
        Store.Failure = outage;

        await SendAsync(new GetWorker("worker-1"));

        App.Logs.Entries.Should().ContainEquivalentOf(
            new LogEntry(LogLevel.Warning, "Storage unavailable while handling GetWorker", outage));
        App.Logs.Entries.Should().Contain(e => e.Message.StartsWith("GetWorker failed with StorageUnavailable", StringComparison.Ordinal));
    }
}
