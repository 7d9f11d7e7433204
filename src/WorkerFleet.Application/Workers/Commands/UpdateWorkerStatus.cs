using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Telemetry;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>An operator's status change. When <see cref="ExpectedStatus"/> is given, the change applies only
/// if the worker is still in that status (compare-and-set).</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Status">The wanted status, in any case; an operator may only set Failed.</param>
/// <param name="ExpectedStatus">The status the caller believes the worker is in, or null to skip the check.</param>
public sealed record UpdateWorkerStatus(string Id, string Status, string? ExpectedStatus = null) : IRequest<Result<Worker>>;

internal sealed class UpdateWorkerStatusValidator : AbstractValidator<UpdateWorkerStatus>
{
    public UpdateWorkerStatusValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Status).NotEmpty().WithMessage("status is required.").ValidStatus();
        RuleFor(r => r.ExpectedStatus).ValidStatus();
    }
}

internal sealed class UpdateWorkerStatusHandler(IWorkerRepository workers, ICaller caller, TimeProvider timeProvider, FleetMetrics metrics)
    : IRequestHandler<UpdateWorkerStatus, Result<Worker>>
{
    // A lifecycle sweep may move the worker between our read and our write; a few re-reads settle it.
    private const int MaxAttempts = 5;

    public async Task<Result<Worker>> Handle(UpdateWorkerStatus request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var next = WorkerRules.ParseOptionalStatus(request.Status)!.Value;
        var expected = WorkerRules.ParseOptionalStatus(request.ExpectedStatus);
        for (var attempt = 1; ; attempt++)
        {
            var worker = await workers.FindAsync(id, cancellationToken);
            if (worker is null)
            {
                return new WorkerNotFound(id);
            }

            if (expected is { } expectedStatus && expectedStatus != worker.Status)
            {
                return new StatusConflict(id, expectedStatus, worker.Status);
            }

            var readStatus = worker.Status;
            var readVersion = worker.Version;
            if (worker.TransitionTo(next, TransitionTrigger.Operator) is { } illegal)
            {
                return illegal;
            }

            var change = new Change(timeProvider.GetStorableUtcNow(), caller.Name);
            if (await workers.TrySaveStatusAsync(worker, readVersion, readStatus, change, cancellationToken))
            {
                // An operator's change is always to another status: a worker already Failed cannot be failed again.
                metrics.Moved(readStatus, worker.Status, TransitionTrigger.Operator, 1);
                return worker;
            }

            if (attempt == MaxAttempts)
            {
                var latest = await workers.FindAsync(id, cancellationToken);
                return latest is null ? new WorkerNotFound(id) : new StatusConflict(id, readStatus, latest.Status);
            }
        }
    }
}
