using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Removes a worker and its whole heartbeat history, whatever its status.</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Token">When a worker unregisters itself: its current token, checked in the same statement as the
/// delete. Null when an operator, authorised by the host, unregisters it.</param>
public sealed record UnregisterWorker(string Id, string? Token = null) : IRequest<Result<WorkerId>>
{
    // Anything that prints this record (a log line, a debugger) must not show the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"Id = {Id}, Token = {(Token is null ? "null" : WorkerToken.Redacted)}");
        return true;
    }
}

internal sealed class UnregisterWorkerValidator : AbstractValidator<UnregisterWorker>
{
    public UnregisterWorkerValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Token!).ValidTokenShape().When(r => r.Token is not null);
    }
}

internal sealed class UnregisterWorkerHandler(IWorkerRepository workers, ICaller caller, TimeProvider timeProvider)
    : IRequestHandler<UnregisterWorker, Result<WorkerId>>
{
    public async Task<Result<WorkerId>> Handle(UnregisterWorker request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var tokenHash = request.Token is null ? null : WorkerToken.HashOf(request.Token);
        if (await workers.RemoveAsync(id, tokenHash, new Change(timeProvider.GetStorableUtcNow(), caller.Name), cancellationToken))
        {
            return id;
        }

        return tokenHash is not null && await workers.FindAsync(id, cancellationToken) is not null
            ? new InvalidWorkerToken()
            : new WorkerNotFound(id);
    }
}
