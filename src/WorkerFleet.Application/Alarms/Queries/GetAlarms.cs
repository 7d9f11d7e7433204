using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Behaviours;

namespace WorkerFleet.Application.Alarms.Queries;

/// <summary>The alarms active on this instance, oldest first.</summary>
public sealed record GetAlarms : IRequest<Result<IReadOnlyList<Alarm>>>, IServedFromMemory;

internal sealed class GetAlarmsHandler(AlarmBoard alarms) : IRequestHandler<GetAlarms, Result<IReadOnlyList<Alarm>>>
{
    public Task<Result<IReadOnlyList<Alarm>>> Handle(GetAlarms request, CancellationToken cancellationToken) =>
        Task.FromResult(Result<IReadOnlyList<Alarm>>.Success(alarms.Active));
}
