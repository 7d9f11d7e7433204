using Microsoft.Extensions.Logging;
using WorkerFleet.Application.Alarms.Commands;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

/// <summary>What stale detection tells the operator in the log: a hold, an override armed and its use each write one
/// warning naming the region and who armed it; a grace period says until when it waits.</summary>
public class MassFailureLogTests : ApplicationTest
{
    [TestCase("eu-west-1", "eu-west-1")]
    [TestCase(null, "every held region")]
    public async Task A_hold_an_override_and_its_use_each_write_one_warning(string? region, string named)
    {
        await PassStartUpGraceAsync();
        await RegisterActiveFleetAsync("dark", 10, "eu-west-1");
        await LetOneTimeoutPassAsync([]);
        App.Caller.Name = "admin key ops";

        await SendAsync(new MarkStaleWorkersOffline());
        var armedAt = Clock.GetUtcNow();
        var armed = (await SendAsync(new OverrideMassFailureProtection(region))).Value;
        await SendAsync(new MarkStaleWorkersOffline());

        var warnings = App.Logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        warnings.Should().HaveCount(3);
        warnings[0].Should().StartWith("Mass-failure protection: 10 of 10 Active workers in eu-west-1 have no recent heartbeat");
        warnings[1..].Should().Equal(
            $"Mass-failure protection overridden by admin key ops for {named} until {armed.ExpiresAt:O}",
            $"Mass-failure override armed by admin key ops at {armedAt:O} for {named} used: the held workers go Offline");
    }

    [Test]
    public async Task A_stale_detection_in_its_grace_period_says_until_when_it_waits()
    {
        await RegisterActiveFleetAsync("worker", 1);
        await RestartAsync();
        var firstRequest = Clock.GetUtcNow();

        await SendAsync(new MarkStaleWorkersOffline());

        App.Logs.Entries.Should().Contain(new LogEntry(LogLevel.Information,
            $"Stale detection waits until {firstRequest + App.Options.HeartbeatTimeout:O}: workers could not reach us while an instance " +
            "was starting or storage was down", null));
    }
}
