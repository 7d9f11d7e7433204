using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>The workers in one status (any case), optionally only those whose id starts with a prefix, a page at a
/// time, ordered by id.</summary>
/// <param name="Status">The status: Pending, Active, Offline or Failed, in any case.</param>
/// <param name="Limit">Page size (1–1000, default 100).</param>
/// <param name="Cursor">The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</param>
/// <param name="IdPrefix">Only workers whose id starts with it (case-sensitive); all of the status when null.</param>
public sealed record GetWorkersByStatus(string Status, int? Limit = null, string? Cursor = null, string? IdPrefix = null)
    : IRequest<Result<Page<Worker>>>;

internal sealed class GetWorkersByStatusValidator : AbstractValidator<GetWorkersByStatus>
{
    public GetWorkersByStatusValidator()
    {
        RuleFor(r => r.Status).NotEmpty().WithMessage("status is required.").ValidStatus();
        RuleFor(r => r.Limit).ValidLimit();
        RuleFor(r => r.Cursor).ValidCursor();
        RuleFor(r => r.IdPrefix).ValidIdPrefix();
    }
}

internal sealed class GetWorkersByStatusHandler(IWorkerRepository workers) : IRequestHandler<GetWorkersByStatus, Result<Page<Worker>>>
{
    public async Task<Result<Page<Worker>>> Handle(GetWorkersByStatus request, CancellationToken cancellationToken) =>
        await workers.ReadPageAsync(
            WorkerRules.ParseOptionalStatus(request.Status), request.IdPrefix, request.Limit, request.Cursor, cancellationToken);
}
