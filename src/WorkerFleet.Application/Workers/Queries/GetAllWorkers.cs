using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>Every worker, or those whose id starts with a prefix, a page at a time, ordered by id.</summary>
/// <param name="Limit">Page size (1–1000, default 100).</param>
/// <param name="Cursor">The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</param>
/// <param name="IdPrefix">Only workers whose id starts with it (case-sensitive); all when null.</param>
public sealed record GetAllWorkers(int? Limit = null, string? Cursor = null, string? IdPrefix = null) : IRequest<Result<Page<Worker>>>;

internal sealed class GetAllWorkersValidator : AbstractValidator<GetAllWorkers>
{
    public GetAllWorkersValidator()
    {
        RuleFor(r => r.Limit).ValidLimit();
        RuleFor(r => r.Cursor).ValidCursor();
        RuleFor(r => r.IdPrefix).ValidIdPrefix();
    }
}

internal sealed class GetAllWorkersHandler(IWorkerRepository workers) : IRequestHandler<GetAllWorkers, Result<Page<Worker>>>
{
    public async Task<Result<Page<Worker>>> Handle(GetAllWorkers request, CancellationToken cancellationToken) =>
        await workers.ReadPageAsync(null, request.IdPrefix, request.Limit, request.Cursor, cancellationToken);
}
