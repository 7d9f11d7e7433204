using MediatR;
using Microsoft.Extensions.Logging;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Behaviours;

namespace WorkerFleet.Application.Alarms.Commands;

/// <summary>An operator's decision that the mass failure is real: the next stale sweep held back by the protection
/// marks its workers Offline. The override is used once; later sweeps are protected again.</summary>
public sealed record OverrideMassFailureProtection : IRequest<Result<bool>>, IServedFromMemory;

internal sealed class OverrideMassFailureProtectionHandler(AlarmBoard alarms, ILogger<OverrideMassFailureProtectionHandler> logger)
    : IRequestHandler<OverrideMassFailureProtection, Result<bool>>
{
    public Task<Result<bool>> Handle(OverrideMassFailureProtection request, CancellationToken cancellationToken)
    {
        alarms.ArmMassFailureOverride();
        logger.LogWarning("Mass-failure protection overridden by an operator for the next stale sweep");
        return Task.FromResult(Result<bool>.Success(true));
    }
}
