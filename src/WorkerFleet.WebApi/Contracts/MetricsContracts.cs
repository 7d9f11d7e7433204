using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.WebApi.Contracts;

/// <summary>The answer of <c>GET /metrics/history</c>.</summary>
/// <param name="Points">The readings, oldest first.</param>
public sealed record FleetHistoryResponse(IReadOnlyList<FleetHistoryPoint> Points);
