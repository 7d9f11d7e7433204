using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Removes a worker and its whole heartbeat history, whatever its status.</summary>
/// <param name="Id">The worker's id.</param>
public sealed record UnregisterWorker(string Id) : IRequest<Result<WorkerId>>;

internal sealed class UnregisterWorkerValidator : AbstractValidator<UnregisterWorker>
{
    public UnregisterWorkerValidator() => RuleFor(r => r.Id).ValidWorkerId();
}

internal sealed class UnregisterWorkerHandler(IWorkerRepository workers) : IRequestHandler<UnregisterWorker, Result<WorkerId>>
{
    public async Task<Result<WorkerId>> Handle(UnregisterWorker request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        return await workers.RemoveAsync(id, cancellationToken) ? id : new WorkerNotFound(id);
    }
}
