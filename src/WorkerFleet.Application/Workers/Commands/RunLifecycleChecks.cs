using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Runs activation, stale detection and reactivation once, in that order.</summary>
public sealed record RunLifecycleChecks : IRequest<Result<LifecycleCheckReport>>;

/// <summary>What one run of the three transitions moved.</summary>
/// <param name="Activated">Pending workers that became Active.</param>
/// <param name="MarkedOffline">Active workers that became Offline.</param>
/// <param name="Reactivated">Offline workers that became Active again.</param>
public sealed record LifecycleCheckReport(
    IReadOnlyList<WorkerId> Activated,
    IReadOnlyList<WorkerId> MarkedOffline,
    IReadOnlyList<WorkerId> Reactivated)
{
    /// <summary>Runs activation, stale detection and reactivation through <paramref name="run"/>, in that order,
    /// stopping at the first that fails: the one sequence both this use case and a host that records each run
    /// (the scheduler's history) go by.</summary>
    /// <param name="run">Sends one transition's command and answers what it moved.</param>
    /// <returns>The workers each transition moved, or the error that stopped the run.</returns>
    public static async Task<Result<LifecycleCheckReport>> CollectAsync(
        Func<IRequest<Result<IReadOnlyList<WorkerId>>>, Task<Result<IReadOnlyList<WorkerId>>>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var activated = await run(new ActivatePendingWorkers());
        if (activated.Error is { } activationError)
        {
            return activationError;
        }

        var markedOffline = await run(new MarkStaleWorkersOffline());
        if (markedOffline.Error is { } staleError)
        {
            return staleError;
        }

        var reactivated = await run(new ReactivateOfflineWorkers());
        return reactivated.Match<Result<LifecycleCheckReport>>(
            ids => new LifecycleCheckReport(activated.Value, markedOffline.Value, ids),
            error => error);
    }
}

internal sealed class RunLifecycleChecksHandler(IMediator mediator) : IRequestHandler<RunLifecycleChecks, Result<LifecycleCheckReport>>
{
    public Task<Result<LifecycleCheckReport>> Handle(RunLifecycleChecks request, CancellationToken cancellationToken) =>
        LifecycleCheckReport.CollectAsync(command => mediator.Send(command, cancellationToken));
}
