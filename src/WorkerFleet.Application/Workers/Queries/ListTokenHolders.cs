using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>The workers that sent a heartbeat most recently, each with the hash of its current token: what a host that
/// authenticates heartbeats from a cache of token hashes starts that cache with, so that after a restart the fleet's
/// next round of heartbeats does not cost one token lookup each.</summary>
/// <param name="Limit">At most this many, 1 or more: the cache's size.</param>
public sealed record ListTokenHolders(int Limit) : IRequest<Result<IReadOnlyList<TokenHolder>>>;

internal sealed class ListTokenHoldersValidator : AbstractValidator<ListTokenHolders>
{
    public ListTokenHoldersValidator() => RuleFor(r => r.Limit).GreaterThan(0);
}

internal sealed class ListTokenHoldersHandler(IWorkerRepository workers) : IRequestHandler<ListTokenHolders, Result<IReadOnlyList<TokenHolder>>>
{
    public async Task<Result<IReadOnlyList<TokenHolder>>> Handle(ListTokenHolders request, CancellationToken cancellationToken) =>
        Result<IReadOnlyList<TokenHolder>>.Success(await workers.ListTokenHoldersAsync(request.Limit, cancellationToken));
}
