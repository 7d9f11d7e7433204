using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>The caller the host names for every request of a test; a test may rename it.</summary>
public sealed class TestCaller : ICaller
{
    public string Name { get; set; } = "test caller";
}
