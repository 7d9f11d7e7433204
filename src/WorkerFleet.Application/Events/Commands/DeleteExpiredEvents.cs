using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.Application.Events.Commands;

/// <summary>Enforces <see cref="EventsOptions.Retention"/>: deletes every event older than it, in one statement; returns
/// how many.</summary>
public sealed record DeleteExpiredEvents : IRequest<Result<int>>;

internal sealed class DeleteExpiredEventsHandler(IEventJournal journal, TimeProvider timeProvider, IOptions<EventsOptions> options)
    : IRequestHandler<DeleteExpiredEvents, Result<int>>
{
    public async Task<Result<int>> Handle(DeleteExpiredEvents request, CancellationToken cancellationToken) =>
        await journal.DeleteOlderThanAsync(timeProvider.GetStorableUtcNow() - options.Value.Retention, cancellationToken);
}
