using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Issues a worker a new token; the old one stops working the moment this succeeds.</summary>
/// <param name="Id">The worker's id.</param>
public sealed record RotateWorkerToken(string Id) : IRequest<Result<IssuedWorkerToken>>;

/// <summary>A newly issued worker token.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Token">The token, shown this once. Only a hash is stored.</param>
public sealed record IssuedWorkerToken(WorkerId WorkerId, string Token)
{
    // Anything that prints this record (a log line, a debugger) must not show the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"WorkerId = {WorkerId}, Token = {WorkerToken.Redacted}");
        return true;
    }
}

internal sealed class RotateWorkerTokenValidator : AbstractValidator<RotateWorkerToken>
{
    public RotateWorkerTokenValidator() => RuleFor(r => r.Id).ValidWorkerId();
}

internal sealed class RotateWorkerTokenHandler(IWorkerRepository workers, ICaller caller, TimeProvider timeProvider)
    : IRequestHandler<RotateWorkerToken, Result<IssuedWorkerToken>>
{
    public async Task<Result<IssuedWorkerToken>> Handle(RotateWorkerToken request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var token = WorkerToken.Issue();
        return await workers.TryReplaceTokenAsync(id, token.Hash, new Change(timeProvider.GetStorableUtcNow(), caller.Name), cancellationToken)
            ? new IssuedWorkerToken(id, token.Value)
            : new WorkerNotFound(id);
    }
}
