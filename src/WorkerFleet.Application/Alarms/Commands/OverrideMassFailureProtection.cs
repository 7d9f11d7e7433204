using FluentValidation;
using MediatR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Workers;

namespace WorkerFleet.Application.Alarms.Commands;

/// <summary>An operator's decision that a mass failure is real: the next stale detection that would hold
/// <see cref="Region"/> (every held region, when null) marks its stale workers Offline. The override is used once, by
/// whichever instance runs that stale detection, and lapses unused after <see cref="LifecycleOptions.MassFailureOverrideTtl"/>.</summary>
/// <param name="Region">The region to let through, or null for every held region.</param>
public sealed record OverrideMassFailureProtection(string? Region) : IRequest<Result<MassFailureOverride>>;

internal sealed class OverrideMassFailureProtectionValidator : AbstractValidator<OverrideMassFailureProtection>
{
    public OverrideMassFailureProtectionValidator() => RuleFor(r => r.Region!).ValidRegion().When(r => r.Region is not null);
}

internal sealed class OverrideMassFailureProtectionHandler(
    ILifecycleControl control,
    ICaller caller,
    TimeProvider timeProvider,
    IOptions<LifecycleOptions> options,
    ILogger<OverrideMassFailureProtectionHandler> logger)
    : IRequestHandler<OverrideMassFailureProtection, Result<MassFailureOverride>>
{
    public async Task<Result<MassFailureOverride>> Handle(OverrideMassFailureProtection request, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetStorableUtcNow();
        var armed = new MassFailureOverride(request.Region, now, caller.Name, now + options.Value.MassFailureOverrideTtl);
        await control.ArmOverrideAsync(armed, cancellationToken);
        logger.LogWarning("Mass-failure protection overridden by {ArmedBy} for {Region} until {ExpiresAt:O}",
            armed.ArmedBy, armed.Region ?? "every held region", armed.ExpiresAt);
        return armed;
    }
}
