using FluentValidation;
using MediatR;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>The worker's retained heartbeats, newest first.</summary>
/// <param name="Id">The worker's id.</param>
/// <param name="Limit">At most this many (1–1000, default 100).</param>
public sealed record GetHeartbeatHistory(string Id, int? Limit = null) : IRequest<Result<HeartbeatHistory>>;

/// <summary>A worker's retained heartbeats.</summary>
/// <param name="WorkerId">The worker.</param>
/// <param name="Heartbeats">Their times (UTC), newest first.</param>
public sealed record HeartbeatHistory(WorkerId WorkerId, IReadOnlyList<DateTimeOffset> Heartbeats);

internal sealed class GetHeartbeatHistoryValidator : AbstractValidator<GetHeartbeatHistory>
{
    public GetHeartbeatHistoryValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Limit).ValidLimit();
    }
}

internal sealed class GetHeartbeatHistoryHandler(IHeartbeatStore heartbeats, IOptions<LifecycleOptions> options)
    : IRequestHandler<GetHeartbeatHistory, Result<HeartbeatHistory>>
{
    public async Task<Result<HeartbeatHistory>> Handle(GetHeartbeatHistory request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var history = await heartbeats.GetHistoryAsync(
            id, request.Limit ?? PageCursor.DefaultLimit, options.Value.HeartbeatHistorySize, cancellationToken);
        return history is null ? new WorkerNotFound(id) : new HeartbeatHistory(id, history);
    }
}
