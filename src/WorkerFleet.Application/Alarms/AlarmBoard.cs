namespace WorkerFleet.Application.Alarms;

/// <summary>A condition an operator must know about, active since <see cref="Since"/>.</summary>
/// <param name="Name">A stable name: <c>mass-failure</c> or <c>storage-unavailable</c>.</param>
/// <param name="Since">When it was first raised (UTC).</param>
/// <param name="Message">What is wrong and what the service does about it.</param>
public sealed record Alarm(string Name, DateTimeOffset Since, string Message)
{
    /// <summary>A stale sweep held back because it would have taken too much of the fleet Offline at once.</summary>
    public const string MassFailure = "mass-failure";

    /// <summary>The database does not answer.</summary>
    public const string StorageUnavailable = "storage-unavailable";
}

/// <summary>The active alarms of this instance, and the operator's one-shot override of mass-failure protection.</summary>
internal sealed class AlarmBoard
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Alarm> _active = new(StringComparer.Ordinal);
    private bool _massFailureOverride;

    public IReadOnlyList<Alarm> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _active.Values.OrderBy(a => a.Since)];
            }
        }
    }

    /// <summary>Raises an alarm, or refreshes its message while keeping when it started.</summary>
    public void Raise(string name, string message, DateTimeOffset now)
    {
        lock (_gate)
        {
            _active[name] = new Alarm(name, _active.TryGetValue(name, out var raised) ? raised.Since : now, message);
        }
    }

    public void Clear(string name)
    {
        lock (_gate)
        {
            _active.Remove(name);
        }
    }

    public void ArmMassFailureOverride()
    {
        lock (_gate)
        {
            _massFailureOverride = true;
        }
    }

    /// <summary>Takes the operator's override if one is armed: it lets exactly one held-back sweep through.</summary>
    public bool TryTakeMassFailureOverride()
    {
        lock (_gate)
        {
            var armed = _massFailureOverride;
            _massFailureOverride = false;
            return armed;
        }
    }
}
