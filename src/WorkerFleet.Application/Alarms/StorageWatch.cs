using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Application.Alarms;

/// <summary>Whether storage answers this instance, and the grace period stale detection owes the fleet: one heartbeat
/// timeout after this instance started handling requests, and again after storage comes back, because workers could
/// not reach us while we were down and must not be marked Offline for it. The storage alarm is this instance's own:
/// while the database does not answer, no alarm can be stored in it.</summary>
internal sealed class StorageWatch(TimeProvider timeProvider, FleetMetrics metrics)
{
    private readonly Lock _gate = new();
    private Alarm? _alarm;
    // Since this instance started, or since storage last came back: the grace period counts from here.
    private DateTimeOffset _answeringSince = timeProvider.GetUtcNow();
    private volatile bool _answered;

    /// <summary>The storage-unavailable alarm while storage does not answer; otherwise null.</summary>
    public Alarm? Alarm
    {
        get
        {
            lock (_gate)
            {
                return _alarm;
            }
        }
    }

    public void Failed()
    {
        lock (_gate)
        {
            _answered = false;
            metrics.StorageAnswers(false);
            _alarm ??= new Alarm(Alarm.StorageUnavailable, null, timeProvider.GetUtcNow(),
                "The database does not answer this instance: requests get 503 and the lifecycle jobs skip their runs. " +
                "Stale detection waits one heartbeat timeout once it answers again.");
        }
    }

    /// <summary>Records that storage answered; true for the first answer since this instance started or since storage
    /// came back, when the grace period must be shared with the other instances.</summary>
    public bool Answered()
    {
        if (_answered)
        {
            return false;
        }

        lock (_gate)
        {
            if (_answered)
            {
                return false;
            }

            _answered = true;
            metrics.StorageAnswers(true);
            if (_alarm is not null)
            {
                _alarm = null;
                _answeringSince = timeProvider.GetUtcNow();
            }

            return true;
        }
    }

    /// <summary>When this instance's grace period started: stale detection waits one heartbeat timeout from here.</summary>
    public DateTimeOffset GraceStartsAt
    {
        get
        {
            lock (_gate)
            {
                return _answeringSince;
            }
        }
    }
}
