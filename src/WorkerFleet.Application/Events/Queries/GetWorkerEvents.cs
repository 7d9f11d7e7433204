using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Application.Workers;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Events.Queries;

/// <summary>One worker's timeline, newest first; still there after it unregistered, until retention removes it.
/// Not found when the worker is not registered and the journal holds nothing of it.</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Limit">At most this many (1–1000, default 100).</param>
/// <param name="Cursor">The <see cref="Page{T}.NextCursor"/> of the previous page, for the older events.</param>
public sealed record GetWorkerEvents(string Id, int? Limit = null, string? Cursor = null) : IRequest<Result<Page<WorkerEvent>>>;

internal sealed class GetWorkerEventsValidator : AbstractValidator<GetWorkerEvents>
{
    public GetWorkerEventsValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Limit).ValidLimit();
        RuleFor(r => r.Cursor).Must(c => EventCursor.TryDecode(c, out _)).WithMessage("cursor is not one this service issued.");
    }
}

internal sealed class GetWorkerEventsHandler(IEventJournal journal, IWorkerRepository workers)
    : IRequestHandler<GetWorkerEvents, Result<Page<WorkerEvent>>>
{
    public async Task<Result<Page<WorkerEvent>>> Handle(GetWorkerEvents request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var limit = request.Limit ?? PageCursor.DefaultLimit;
        EventCursor.TryDecode(request.Cursor, out var before);
        var fetched = await journal.ReadForWorkerAsync(id, before, limit + 1, cancellationToken);
        if (fetched.Count == 0 && before is null && await workers.FindAsync(id, cancellationToken) is null)
        {
            return new WorkerNotFound(id);
        }

        return fetched.Count > limit
            ? new Page<WorkerEvent>([.. fetched.Take(limit)], EventCursor.Encode(fetched[limit - 1].Sequence))
            : new Page<WorkerEvent>(fetched, null);
    }
}
