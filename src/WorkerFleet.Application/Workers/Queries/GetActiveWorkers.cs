using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>The Active workers, a page at a time, ordered by id.</summary>
/// <param name="Limit">Page size (1–1000, default 100).</param>
/// <param name="Cursor">The previous page's <see cref="Page{T}.NextCursor"/>; null for the first page.</param>
public sealed record GetActiveWorkers(int? Limit = null, string? Cursor = null) : IRequest<Result<Page<Worker>>>;

internal sealed class GetActiveWorkersValidator : AbstractValidator<GetActiveWorkers>
{
    public GetActiveWorkersValidator()
    {
        RuleFor(r => r.Limit).ValidLimit();
        RuleFor(r => r.Cursor).ValidCursor();
    }
}

internal sealed class GetActiveWorkersHandler(IWorkerRepository workers) : IRequestHandler<GetActiveWorkers, Result<Page<Worker>>>
{
    public async Task<Result<Page<Worker>>> Handle(GetActiveWorkers request, CancellationToken cancellationToken) =>
        await workers.ReadPageAsync(WorkerStatus.Active, null, request.Limit, request.Cursor, cancellationToken);
}
