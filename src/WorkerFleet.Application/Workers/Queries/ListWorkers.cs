using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>The workers a selection matches, a page at a time, ordered by id: every filter given narrows it, and none
/// lists the whole fleet. A scheduler asks for "Active workers of eu-west-1 with the gpu capability and a capacity of at
/// least 8" in one request instead of paging through the fleet.</summary>
public sealed record ListWorkers : IRequest<Result<Page<Worker>>>
{
    /// <summary>Only workers in this status: Pending, Active, Offline or Failed, in any case.</summary>
    public string? Status { get; init; }

    /// <summary>Only workers whose id starts with it (case-sensitive).</summary>
    public string? IdPrefix { get; init; }

    /// <summary>Only workers of this region (case-sensitive).</summary>
    public string? Region { get; init; }

    /// <summary>Only workers that have every one of these capabilities (case-sensitive).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Only workers of at least this capacity (1–100000).</summary>
    public int? MinCapacity { get; init; }

    /// <summary>Only workers that are (true) or are not (false) schedulable; see <see cref="SetWorkerSchedulable"/>.</summary>
    public bool? Schedulable { get; init; }

    /// <summary>Page size (1–1000, default 100).</summary>
    public int? Limit { get; init; }

    /// <summary>The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</summary>
    public string? Cursor { get; init; }
}

internal sealed class ListWorkersValidator : AbstractValidator<ListWorkers>
{
    public ListWorkersValidator()
    {
        RuleFor(r => r.Status).ValidStatus();
        RuleFor(r => r.IdPrefix).ValidIdPrefix();
        RuleFor(r => r.Region!).ValidRegion().When(r => r.Region is not null);
        // One query parameter, capability, repeated: its errors are keyed by its name.
        RuleFor(r => r.Capabilities)
            .Must(c => c.Count <= RegisterWorkerValidator.MaxCapabilities)
            .WithMessage($"capability may be given at most {RegisterWorkerValidator.MaxCapabilities} times.")
            .Must(c => c.All(WorkerRules.IsValidCapability)).WithMessage(WorkerRules.CapabilityRule)
            .OverridePropertyName("capability");
        RuleFor(r => r.MinCapacity).InclusiveBetween(1, 100_000).WithMessage("minCapacity must be between 1 and 100000.");
        RuleFor(r => r.Limit).ValidLimit();
        RuleFor(r => r.Cursor).ValidCursor();
    }
}

internal sealed class ListWorkersHandler(IWorkerRepository workers) : IRequestHandler<ListWorkers, Result<Page<Worker>>>
{
    public async Task<Result<Page<Worker>>> Handle(ListWorkers request, CancellationToken cancellationToken)
    {
        var selection = new WorkerSelection(
            WorkerRules.ParseOptionalStatus(request.Status), request.IdPrefix, request.Region,
            [.. request.Capabilities.Distinct(StringComparer.Ordinal)], request.MinCapacity, request.Schedulable);
        return await workers.ReadPageAsync(selection, request.Limit, request.Cursor, cancellationToken);
    }
}
