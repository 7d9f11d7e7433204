using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>One worker by id.</summary>
/// <param name="Id">The worker's id.</param>
public sealed record GetWorker(string Id) : IRequest<Result<Worker>>;

internal sealed class GetWorkerValidator : AbstractValidator<GetWorker>
{
    public GetWorkerValidator() => RuleFor(r => r.Id).ValidWorkerId();
}

internal sealed class GetWorkerHandler(IWorkerRepository workers) : IRequestHandler<GetWorker, Result<Worker>>
{
    public async Task<Result<Worker>> Handle(GetWorker request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        return await workers.FindAsync(id, cancellationToken) is { } worker ? worker : new WorkerNotFound(id);
    }
}
