using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Application.Common.Paging;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>The one way the list queries read a page of workers.</summary>
internal static class WorkerListing
{
    public static async Task<Page<Worker>> ReadPageAsync(
        this IWorkerRepository workers, WorkerSelection selection, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        var take = limit ?? PageCursor.DefaultLimit;
        PageCursor.TryDecode(cursor, out var after);
        var fetched = await workers.ListAsync(selection, after, take + 1, cancellationToken);
        return PageCursor.ToPage(fetched, take, w => w.Id);
    }
}
