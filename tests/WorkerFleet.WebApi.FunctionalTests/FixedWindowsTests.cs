using Microsoft.Extensions.Time.Testing;
using WorkerFleet.WebApi.Security;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>The engine of the per-caller budgets (heartbeats, registrations, refused credentials).</summary>
public class FixedWindowsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Test]
    public void A_partition_takes_its_limit_per_window_and_is_told_when_the_window_ends()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 20, TimeSpan.Zero));
        var windows = new FixedWindows(clock, 2, Minute);

        windows.TryTake("alpha", 1, out _).Should().BeTrue();
        windows.TryTake("alpha", 0, out _).Should().BeTrue("one permit is left");
        windows.TryTake("alpha", 1, out _).Should().BeTrue();
        windows.TryTake("alpha", 0, out var asked).Should().BeFalse("none is left");
        windows.TryTake("alpha", 1, out var refused).Should().BeFalse();
        windows.TryTake("beta", 1, out _).Should().BeTrue("each partition has a budget of its own");

        refused.Should().Be(TimeSpan.FromSeconds(40));
        asked.Should().Be(TimeSpan.FromSeconds(40));
        clock.Advance(TimeSpan.FromSeconds(40));
        windows.TryTake("alpha", 1, out _).Should().BeTrue("a new window has begun");
    }

    [Test]
    public void Concurrent_takes_of_one_partition_are_granted_exactly_the_limit_even_while_ended_windows_are_swept()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var windows = new FixedWindows(clock, 1_000, Minute);
        for (var i = 0; i < 500; i++)
        {
            windows.TryTake($"idle-{i}", 1, out _);
        }

        clock.Advance(Minute);
        var granted = 0;
        Parallel.For(0, 4_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            if (windows.TryTake(i % 8 == 0 ? $"idle-{i % 500}" : "busy", 1, out _) && i % 8 != 0)
            {
                Interlocked.Increment(ref granted);
            }
        });

        granted.Should().Be(1_000);
    }

    [Test]
    public void A_partition_idle_for_a_whole_window_is_forgotten()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var windows = new FixedWindows(clock, 1, Minute);
        windows.TryTake("idle", 1, out _).Should().BeTrue();
        windows.TryTake("busy", 1, out _).Should().BeTrue();

        clock.Advance(Minute);
        windows.TryTake("busy", 1, out _).Should().BeTrue();

        windows.Partitions.Should().Be(1, "the idle partition's window ended, and the first take of the next window swept it");
        windows.TryTake("idle", 1, out _).Should().BeTrue("a forgotten partition starts with a full budget");
    }
}
