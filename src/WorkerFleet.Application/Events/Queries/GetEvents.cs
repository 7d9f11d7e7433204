using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Events.Queries;

/// <summary>The whole fleet's events after a sequence, oldest first: how a consumer catches up, page by page.
/// <see cref="EventsExpired"/> when retention has deleted events after that sequence.</summary>
/// <param name="After">The last sequence the consumer has; 0 (the default) for the oldest event the journal keeps.</param>
/// <param name="Limit">At most this many (1–1000, default 100).</param>
public sealed record GetEvents(long? After = null, int? Limit = null) : IRequest<Result<EventPage>>;

/// <summary>One page of the journal.</summary>
/// <param name="Items">The events, oldest first.</param>
/// <param name="NextAfter">What to ask for next: the sequence of the last item, or the one asked after when there was none.</param>
/// <param name="Latest">The highest sequence written when the page was read: how far behind the consumer is.</param>
public sealed record EventPage(IReadOnlyList<WorkerEvent> Items, long NextAfter, long Latest);

internal sealed class GetEventsValidator : AbstractValidator<GetEvents>
{
    public GetEventsValidator()
    {
        RuleFor(r => r.After).GreaterThanOrEqualTo(0).WithMessage("after must be a sequence, 0 or more.");
        RuleFor(r => r.Limit).ValidLimit();
    }
}

internal sealed class GetEventsHandler(IEventJournal journal) : IRequestHandler<GetEvents, Result<EventPage>>
{
    public async Task<Result<EventPage>> Handle(GetEvents request, CancellationToken cancellationToken)
    {
        var after = request.After ?? 0;
        var items = await journal.ReadAfterAsync(after, request.Limit ?? PageCursor.DefaultLimit, cancellationToken);
        var bounds = await journal.BoundsAsync(cancellationToken);
        return RetentionGap.Missed(after, items, bounds.DeletedThrough)
            ? new EventsExpired(after, bounds.DeletedThrough)
            : new EventPage(items, items.Count == 0 ? after : items[^1].Sequence, bounds.Latest);
    }
}
