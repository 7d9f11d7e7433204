namespace WorkerFleet.Application.Alarms;

/// <summary>Whether storage answers, and the grace period stale detection owes the fleet: one heartbeat timeout
/// after this instance started handling requests, and again after storage comes back, because workers could not
/// reach us while we were down and must not be marked Offline for it.</summary>
internal sealed class StorageWatch(TimeProvider timeProvider, AlarmBoard alarms)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _downSince;
    // Since this instance started, or since storage last came back: the grace period counts from here.
    private DateTimeOffset _answeringSince = timeProvider.GetUtcNow();
    private volatile bool _down;

    public void Failed()
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            _downSince ??= now;
            _down = true;
            alarms.Raise(Alarm.StorageUnavailable, "The database does not answer; requests get 503 and the lifecycle jobs skip their runs.", _downSince.Value);
        }
    }

    public void Answered()
    {
        if (!_down)
        {
            return;
        }

        lock (_gate)
        {
            _down = false;
            _downSince = null;
            _answeringSince = timeProvider.GetUtcNow();
            alarms.Clear(Alarm.StorageUnavailable);
        }
    }

    /// <summary>Until when stale detection must wait, given the heartbeat timeout.</summary>
    public DateTimeOffset GraceEndsAt(TimeSpan heartbeatTimeout)
    {
        lock (_gate)
        {
            return _answeringSince + heartbeatTimeout;
        }
    }
}
