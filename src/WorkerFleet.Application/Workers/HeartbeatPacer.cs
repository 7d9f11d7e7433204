using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;

namespace WorkerFleet.Application.Workers;

/// <summary>Chooses when each worker should send its next heartbeat, so the whole fleet's heartbeats stay under
/// <see cref="LifecycleOptions.MaxHeartbeatsPerSecond"/>: the fleet's size divided by that rate, never below
/// <see cref="LifecycleOptions.MinHeartbeatInterval"/>. Each answer is drawn at random from that interval up to a
/// quarter more, so workers that started together drift apart, and is never longer than a third of
/// <see cref="LifecycleOptions.HeartbeatTimeout"/>: a worker that follows it and loses one heartbeat still has a fresh
/// one when stale detection looks. A fleet too large for the rate gets that longest interval: staying Active wins
/// over the ceiling.</summary>
public sealed class HeartbeatPacer(IOptions<LifecycleOptions> options)
{
    private const double Spread = 1.25;

    // Unknown until the first reading of the fleet: the longest interval is the one that cannot overload the service.
    private int _fleetSize = -1;

    /// <summary>The longest interval a worker is ever told to wait.</summary>
    public static TimeSpan LongestIntervalFor(TimeSpan heartbeatTimeout) => heartbeatTimeout / 3;

    /// <summary>Takes the fleet's size from a reading of the database.</summary>
    /// <param name="workers">How many workers are registered.</param>
    public void Observe(int workers) => Volatile.Write(ref _fleetSize, workers);

    /// <summary>How long the worker answered now should wait before its next heartbeat.</summary>
    public TimeSpan NextInterval()
    {
        var lifecycle = options.Value;
        var longest = LongestIntervalFor(lifecycle.HeartbeatTimeout);
        var fleet = Volatile.Read(ref _fleetSize);
        if (fleet < 0)
        {
            return longest;
        }

        var paced = TimeSpan.FromSeconds(fleet / lifecycle.MaxHeartbeatsPerSecond);
        var shortest = paced > lifecycle.MinHeartbeatInterval ? paced : lifecycle.MinHeartbeatInterval;
        if (shortest >= longest)
        {
            return longest;
        }

        var upper = shortest * Spread < longest ? shortest * Spread : longest;
        return shortest + ((upper - shortest) * Random.Shared.NextDouble());
    }
}
