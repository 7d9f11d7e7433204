using MediatR;
using WorkerFleet.Application.Common;

namespace WorkerFleet.Application.Telemetry;

/// <summary>The last hour of fleet readings on this instance, oldest first: the trend the dashboard draws.</summary>
public sealed record GetFleetHistory : IRequest<Result<IReadOnlyList<FleetHistoryPoint>>>;

/// <summary>One fleet reading.</summary>
/// <param name="At">When it was taken (UTC).</param>
/// <param name="HeartbeatsPerSecond">Heartbeats this instance recorded per second since the reading before; null for
/// the first reading kept.</param>
/// <param name="Pending">Workers in Pending.</param>
/// <param name="Active">Workers in Active.</param>
/// <param name="Offline">Workers in Offline.</param>
/// <param name="Failed">Workers in Failed.</param>
public sealed record FleetHistoryPoint(DateTimeOffset At, double? HeartbeatsPerSecond, int Pending, int Active, int Offline, int Failed);

internal sealed class GetFleetHistoryHandler(FleetMetrics metrics) : IRequestHandler<GetFleetHistory, Result<IReadOnlyList<FleetHistoryPoint>>>
{
    public Task<Result<IReadOnlyList<FleetHistoryPoint>>> Handle(GetFleetHistory request, CancellationToken cancellationToken) =>
        Task.FromResult(Result<IReadOnlyList<FleetHistoryPoint>>.Success(metrics.History()));
}
