using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>A worker as the use cases read it, with its retained heartbeats, newest first.</summary>
public sealed record WorkerSnapshot(Worker Worker, IReadOnlyList<DateTimeOffset> Heartbeats);
