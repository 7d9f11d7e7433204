using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common.Abstractions;

namespace WorkerFleet.Application.Events;

/// <summary>Follows the journal: every event after a sequence, in order, each once, then the new ones as they commit on
/// any instance. Because sequences become visible in order (see <see cref="IEventJournal"/>), reading after the last
/// sequence delivered never skips one.</summary>
public sealed class EventFeed(IEventJournal journal, TimeProvider timeProvider, IOptions<EventsOptions> options)
{
    /// <summary>Pages of the events after <paramref name="after"/>, oldest first: full pages while catching up, then one
    /// page (empty when nothing happened) each time this process commits events or the poll interval passes. Storage
    /// failures end the enumeration with their exception. It ends, too, when retention deletes events before it could
    /// deliver them: asking for them again answers <see cref="Domain.Workers.EventsExpired"/>.</summary>
    /// <param name="after">The last sequence the caller has.</param>
    /// <param name="pageSize">At most this many events per page.</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <returns>The pages, for as long as the caller reads them.</returns>
    public async IAsyncEnumerable<IReadOnlyList<WorkerEvent>> FollowAsync(
        long after, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            // Taken before the read, so an append that commits during it wakes the next wait instead of being missed.
            var appended = journal.NextLocalAppend;
            var page = await journal.ReadAfterAsync(after, pageSize, cancellationToken);
            if (RetentionGap.Missed(after, page, (await journal.BoundsAsync(cancellationToken)).DeletedThrough))
            {
                yield break;
            }

            if (page.Count > 0)
            {
                after = page[^1].Sequence;
            }

            yield return page;
            if (page.Count < pageSize)
            {
                await Task.WhenAny(appended, Task.Delay(options.Value.PollInterval, timeProvider, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }
}
