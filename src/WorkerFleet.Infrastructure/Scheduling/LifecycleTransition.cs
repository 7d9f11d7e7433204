using System.Globalization;
using MediatR;
using Microsoft.Extensions.Logging;
using Quartz;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Sends one lifecycle-transition command and says what it did in the words and metric the execution
/// history shows: the workers it moved, or why it could not run. A scheduled fire and a run an operator asks for
/// go through here alike, so the history and the logs read the same for both.</summary>
internal sealed class LifecycleTransition(IMediator mediator, ILogger<LifecycleTransition> logger)
{
    /// <summary>The metric the execution history carries the number of moved workers under.</summary>
    public const string MovedMetric = "moved";

    /// <summary>How many ids a run's summary names; a sweep can move thousands, and the history keeps one line.</summary>
    private const int IdsInSummary = 10;

    public async Task<LifecycleTransitionOutcome> RunAsync(IRequest<Result<IReadOnlyList<WorkerId>>> command, CancellationToken cancellationToken)
    {
        var name = command.GetType().Name;
        var result = await mediator.Send(command, cancellationToken);
        if (result.Error is { } error)
        {
            logger.LogWarning("{Command} skipped: {Error}", name, error.Message);
            return new(result, JobRunReport.Failed(error.Message));
        }

        var moved = result.Value;
        if (moved.Count == 0)
        {
            return new(result, JobRunReport.Skipped("Nothing to move.").With(MovedMetric, 0));
        }

        logger.LogInformation("{Command} moved {Count} worker(s): {WorkerIds}", name, moved.Count, string.Join(", ", moved));
        return new(result, JobRunReport.Succeeded(Summarize(moved)).With(MovedMetric, moved.Count));
    }

    private static string Summarize(IReadOnlyList<WorkerId> moved)
    {
        var named = string.Join(", ", moved.Take(IdsInSummary));
        return moved.Count > IdsInSummary
            ? string.Create(CultureInfo.InvariantCulture, $"Moved {moved.Count} workers: {named} and {moved.Count - IdsInSummary} more.")
            : string.Create(CultureInfo.InvariantCulture, $"Moved {moved.Count} worker(s): {named}.");
    }
}

/// <summary>What one run of a lifecycle transition returned, and how the execution history reports it.</summary>
internal sealed record LifecycleTransitionOutcome(Result<IReadOnlyList<WorkerId>> Result, JobRunReport Report);
