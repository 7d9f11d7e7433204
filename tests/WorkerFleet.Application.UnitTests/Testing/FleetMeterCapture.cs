using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>A <see cref="FleetMetrics"/> of its own, read with a <see cref="MeterListener"/>: the instruments it
/// publishes and every measurement they record. Other tests' services publish meters of the same name at the same
/// time, so only this one's meter factory is listened to.</summary>
internal sealed class FleetMeterCapture : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener;

    public FleetMeterCapture()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    Published.Add(instrument);
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        Metrics = new FleetMetrics(meters);
    }

    public FleetMetrics Metrics { get; }

    public List<Instrument> Published { get; } = [];

    /// <summary>Each measurement: the instrument's name, the value, and its tags as <c>key=value</c> joined by commas.</summary>
    public List<(string Instrument, double Value, string Tags)> Measured { get; } = [];

    /// <summary>Has the gauges report now, as a scrape would.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose()
    {
        _listener.Dispose();
        _services.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add($"{tag.Key}={tag.Value}");
        }

        Measured.Add((instrument.Name, value, string.Join(",", pairs)));
    }
}
