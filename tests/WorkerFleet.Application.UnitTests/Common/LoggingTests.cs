using Microsoft.Extensions.Logging;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;

namespace WorkerFleet.Application.UnitTests.Common;

public class LoggingTests : ApplicationTest
{
    [Test]
    public async Task A_handled_use_case_is_logged_at_debug_level_with_its_name()
    {
        await SendAsync(new ListWorkers());

        App.Logs.Entries.Should().ContainSingle()
            .Which.Should().Match<LogEntry>(e => e.Level == LogLevel.Debug && e.Message.StartsWith("ListWorkers handled in ", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_failed_use_case_is_logged_at_debug_level_with_its_error_type()
    {
        await SendAsync(new GetWorker("ghost"));
        await SendAsync(new GetWorker("bad id"));

        App.Logs.Entries.Select(e => (e.Level, e.Message[..e.Message.IndexOf(" in ", StringComparison.Ordinal)])).Should().Equal(
            (LogLevel.Debug, "GetWorker failed with WorkerNotFound"),
            (LogLevel.Debug, "GetWorker failed with InvalidConfiguration"));
    }

    [Test]
    public async Task A_storage_outage_is_logged_as_a_warning_with_the_exception()
    {
        var outage = new FakeDbException(isTransient: true);
        Storage.Failure = outage;

        await SendAsync(new GetWorker("worker-1"));

        App.Logs.Entries.Should().ContainEquivalentOf(
            new LogEntry(LogLevel.Warning, "Storage unavailable while handling GetWorker", outage));
        App.Logs.Entries.Should().Contain(e => e.Message.StartsWith("GetWorker failed with StorageUnavailable", StringComparison.Ordinal));
    }

    [Test]
    public async Task No_log_entry_reveals_a_worker_token_whether_the_request_succeeds_or_is_refused()
    {
        await RegisterAsync("worker-1");
        var first = TokenOf("worker-1");
        await HeartbeatAsync("worker-1");
        var second = await RotateTokenAsync("worker-1");
        await SendAsync(new RecordHeartbeat("worker-1", first));
        await SendAsync(new IdentifyWorker(second));
        await SendAsync(new UnregisterWorker("worker-1", first));
        await SendAsync(new UnregisterWorker("worker-1", second));

        App.Logs.Entries.Should().HaveCount(7)
            .And.Contain(e => e.Message.StartsWith("RecordHeartbeat failed with InvalidWorkerToken", StringComparison.Ordinal))
            .And.NotContain(e => e.Message.Contains(first, StringComparison.Ordinal) || e.Message.Contains(second, StringComparison.Ordinal));
    }
}
