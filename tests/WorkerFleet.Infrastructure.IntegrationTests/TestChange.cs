using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The change a test makes directly through a storage port, at the tests' fixed time.</summary>
internal static class TestChange
{
    public static readonly Change Now = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), "test");
}
