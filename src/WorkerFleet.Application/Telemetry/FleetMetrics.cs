using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using WorkerFleet.Application.Events;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Telemetry;

/// <summary>The service's own instruments, on the meter <see cref="MeterName"/>. Their tags are bounded sets (an
/// outcome, a status, a region, a job); never a worker id. The Prometheus names follow from the OpenTelemetry names:
/// <c>workerfleet.heartbeats</c> is scraped as <c>workerfleet_heartbeats_total</c>.</summary>
public sealed class FleetMetrics
{
    /// <summary>The name of the meter: a host's metrics pipeline subscribes to it (<c>AddMeter(FleetMetrics.MeterName)</c>).</summary>
    public const string MeterName = "WorkerFleet";

    private static readonly FrozenDictionary<WorkerStatus, string> StatusNames =
        Enum.GetValues<WorkerStatus>().ToFrozenDictionary(s => s, s => s.ToString().ToLowerInvariant());

    /// <summary>How far back <see cref="History"/> reaches.</summary>
    private static readonly TimeSpan HistorySpan = TimeSpan.FromHours(1);

    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _sweepDuration;
    private readonly Histogram<double> _heartbeatAge;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _batchWait;

    private readonly Lock _historyGate = new();
    private readonly Queue<(FleetReading Reading, long Recorded)> _history = new();
    private long _recorded;
    private volatile FleetReading _fleet = FleetReading.None;
    private volatile bool _storageAvailable = true;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public FleetMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _heartbeats = meter.CreateCounter<long>("workerfleet.heartbeats", "{heartbeat}",
            "Heartbeats answered, by outcome: recorded, invalid, unauthorized, forbidden, not-found, rate-limited, unavailable.");
        _transitions = meter.CreateCounter<long>("workerfleet.transitions", "{worker}",
            "Status changes, by from, to and trigger (activation, stale-detection, reactivation, operator).");
        _sweepDuration = meter.CreateHistogram("workerfleet.sweep.duration", "s", "How long each run of a scheduled job took, by job.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _heartbeatAge = meter.CreateHistogram("workerfleet.heartbeat.age", "1",
            "At each fleet reading, the age of each Active worker's last heartbeat as a share of the heartbeat timeout: " +
            "above 1, the next stale detection marks it Offline.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 0.75, 0.9, 1, 1.5, 2, 5] });
        _batchSize = meter.CreateHistogram("workerfleet.write.batch.size", "{write}",
            "Writes committed together by a group commit, by kind (heartbeats, registrations).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _batchWait = meter.CreateHistogram("workerfleet.write.wait", "s",
            "How long each write of a group commit waited from being queued to its batch's commit, by kind.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        meter.CreateObservableGauge("workerfleet.workers", ObserveWorkers, "{worker}",
            "Workers by status and region, at the last fleet reading.");
        meter.CreateObservableGauge("workerfleet.protection.held", ObserveHolds, "1",
            "1 for a region mass-failure protection holds, 0 for the fleet's other regions, at the last fleet reading.");
        meter.CreateObservableGauge("workerfleet.storage.available", () => _storageAvailable ? 1 : 0, "1",
            "1 while the database answers this instance, 0 while it does not.");
    }

    /// <summary>Whether anything listens to the heartbeat-age histogram: reading the ages costs a scan of the fleet.</summary>
    public bool HeartbeatAgesObserved => _heartbeatAge.Enabled;

    /// <summary>Records whether storage answers this instance.</summary>
    internal void StorageAnswers(bool available) => _storageAvailable = available;

    /// <summary>Counts one heartbeat answer.</summary>
    /// <param name="outcome">One of the <see cref="HeartbeatOutcomes"/>.</param>
    public void HeartbeatAnswered(string outcome)
    {
        _heartbeats.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == HeartbeatOutcomes.Recorded)
        {
            Interlocked.Increment(ref _recorded);
        }
    }

    /// <summary>Counts workers that changed status together.</summary>
    public void Moved(WorkerStatus from, WorkerStatus to, TransitionTrigger trigger, int count)
    {
        if (count > 0)
        {
            _transitions.Add(count,
                new KeyValuePair<string, object?>("from", StatusName(from)),
                new KeyValuePair<string, object?>("to", StatusName(to)),
                new KeyValuePair<string, object?>("trigger", WorkerEvent.NameOf(trigger)));
        }
    }

    /// <summary>Records one run of a scheduled job.</summary>
    public void JobRan(string job, TimeSpan duration) =>
        _sweepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("job", job));

    /// <summary>Records a batch a group commit wrote: its size, and how long each of its writes waited.</summary>
    public void BatchCommitted(string kind, IReadOnlyList<TimeSpan> waits)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        _batchSize.Record(waits.Count, tag);
        foreach (var wait in waits)
        {
            _batchWait.Record(wait.TotalSeconds, tag);
        }
    }

    /// <summary>Takes a fresh reading of the fleet for the gauges and the heartbeat-age histogram.</summary>
    public void Observe(FleetReading reading)
    {
        _fleet = reading;
        lock (_historyGate)
        {
            _history.Enqueue((reading, Interlocked.Read(ref _recorded)));
            while (_history.Peek().Reading.At < reading.At - HistorySpan)
            {
                _history.Dequeue();
            }
        }

        foreach (var (share, workers) in reading.HeartbeatAges)
        {
            for (var i = 0; i < workers; i++)
            {
                _heartbeatAge.Record(share);
            }
        }
    }

    /// <summary>The readings of the last hour, oldest first, with the heartbeats this instance recorded per second
    /// between each and the one before.</summary>
    public IReadOnlyList<FleetHistoryPoint> History()
    {
        (FleetReading Reading, long Recorded)[] readings;
        lock (_historyGate)
        {
            readings = [.. _history];
        }

        return [.. readings.Select((current, i) =>
        {
            var count = (WorkerStatus status) => current.Reading.Workers.Where(w => w.Status == status).Sum(w => w.Count);
            var seconds = i == 0 ? 0 : (current.Reading.At - readings[i - 1].Reading.At).TotalSeconds;
            double? rate = seconds > 0 ? (current.Recorded - readings[i - 1].Recorded) / seconds : null;
            return new FleetHistoryPoint(current.Reading.At, rate, count(WorkerStatus.Pending), count(WorkerStatus.Active),
                count(WorkerStatus.Offline), count(WorkerStatus.Failed));
        })];
    }

    private static string StatusName(WorkerStatus status) => StatusNames[status];

    private IEnumerable<Measurement<int>> ObserveWorkers() =>
        _fleet.Workers.Select(w => new Measurement<int>(w.Count,
            new KeyValuePair<string, object?>("status", StatusName(w.Status)),
            new KeyValuePair<string, object?>("region", w.Region)));

    private IEnumerable<Measurement<int>> ObserveHolds()
    {
        var fleet = _fleet;
        return fleet.Workers.Select(w => w.Region).Concat(fleet.HeldRegions).Distinct(StringComparer.Ordinal)
            .Select(region => new Measurement<int>(fleet.HeldRegions.Contains(region, StringComparer.Ordinal) ? 1 : 0,
                new KeyValuePair<string, object?>("region", region)));
    }
}
