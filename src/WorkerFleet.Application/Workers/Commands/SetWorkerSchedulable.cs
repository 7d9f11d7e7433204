using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>An operator takes a worker out of scheduling (cordons it) or returns it, whatever its status: selections
/// that ask for schedulable workers stop or start finding it, while its heartbeats and the lifecycle jobs go on as
/// before. Asking for what the worker already is changes nothing and journals nothing.</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Schedulable">False to take it out of scheduling, true to return it; required (null is refused, so a
/// request that forgot it cannot cordon a worker by default).</param>
/// <param name="Reason">Why, for the journal: up to 256 characters, no control characters.</param>
public sealed record SetWorkerSchedulable(string Id, bool? Schedulable, string? Reason = null) : IRequest<Result<Worker>>;

internal sealed class SetWorkerSchedulableValidator : AbstractValidator<SetWorkerSchedulable>
{
    public const int MaxReasonLength = 256;

    public SetWorkerSchedulableValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Schedulable).NotNull().WithMessage("schedulable is required: true or false.");
        RuleFor(r => r.Reason)
            .Must(reason => reason is null || (reason.Length <= MaxReasonLength && WorkerRules.IsStorableText(reason)))
            .WithMessage($"reason must be at most {MaxReasonLength} characters with {WorkerRules.StorableTextRule}.");
    }
}

internal sealed class SetWorkerSchedulableHandler(IWorkerRepository workers, ICaller caller, TimeProvider timeProvider)
    : IRequestHandler<SetWorkerSchedulable, Result<Worker>>
{
    public async Task<Result<Worker>> Handle(SetWorkerSchedulable request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var change = new Change(timeProvider.GetStorableUtcNow(), caller.Name);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        await workers.TrySetSchedulableAsync(id, request.Schedulable!.Value, reason, change, cancellationToken);

        // Read after the write: whether this request changed it or another got there first, the answer is the worker
        // as it now is.
        return await workers.FindAsync(id, cancellationToken) is { } worker ? worker : new WorkerNotFound(id);
    }
}
