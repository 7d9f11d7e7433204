using System.Collections.Concurrent;

namespace WorkerFleet.WebApi.Security;

/// <summary>A budget per partition (a worker, a key, a client address): at most <c>limit</c> permits in each window of
/// the clock, the windows following one another from the Unix epoch. A take costs one dictionary lookup and the lock of
/// its own partition; a partition whose window has ended is removed by the first take of a later window that finds the
/// sweep due, once per window, so an idle partition is gone after two windows at most.</summary>
/// <remarks>ASP.NET Core's partitioned rate limiter is not used for these budgets because it does not scale with the
/// fleet: it takes one lock shared by every request, and ten times a second it visits every partition, under that
/// lock whenever one was added, to refill it and to drop it after 10 s idle. With a partition per worker, 100,000
/// workers cost a million visits a second (docs/performance-log.md).</remarks>
internal sealed class FixedWindows(TimeProvider clock, int limit, TimeSpan window)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _nextSweep;

    /// <summary>How many partitions are held: those in their window, and those whose window ended since the last sweep.</summary>
    public int Partitions => _windows.Count;

    /// <summary>Takes <paramref name="permits"/> from the partition's budget; false, with the wait until its window
    /// ends, when that would be more than it has left. Zero permits takes nothing and asks whether any are left.</summary>
    public bool TryTake(string partition, int permits, out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow().UtcTicks;
        var end = (now / window.Ticks + 1) * window.Ticks;
        SweepIfDue(now, end);
        while (true)
        {
            var entry = _windows.GetOrAdd(partition, static _ => new Window());
            if (entry.TryTake(end, permits, limit) is { } taken)
            {
                retryAfter = taken ? TimeSpan.Zero : TimeSpan.FromTicks(end - now);
                return taken;
            }
        }
    }

    private void SweepIfDue(long now, long end)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, end, due) != due)
        {
            return;
        }

        foreach (var (partition, entry) in _windows)
        {
            if (entry.TryRetire(now))
            {
                _windows.TryRemove(new KeyValuePair<string, Window>(partition, entry));
            }
        }
    }

    /// <summary>One partition's window. Retired once removed, so a take that found it just before is taken again on
    /// the partition's new entry instead of being counted where nobody looks.</summary>
    private sealed class Window
    {
        private readonly Lock _lock = new();
        private long _end;
        private int _used;
        private bool _retired;

        /// <summary>Whether the permits were taken; null when this entry was retired and the take must go again.</summary>
        public bool? TryTake(long end, int permits, int limit)
        {
            lock (_lock)
            {
                if (_retired)
                {
                    return null;
                }

                if (_end != end)
                {
                    _end = end;
                    _used = 0;
                }

                if (_used + Math.Max(permits, 1) > limit)
                {
                    return false;
                }

                _used += permits;
                return true;
            }
        }

        public bool TryRetire(long now)
        {
            lock (_lock)
            {
                _retired = _end <= now;
                return _retired;
            }
        }
    }
}
