namespace WorkerFleet.Infrastructure.Persistence.Events;

/// <summary>Tells this process's followers of the journal that events were committed, so they read at once instead
/// of at their next poll. Pulsed after the commit, never before: a woken reader must find the events.</summary>
internal sealed class JournalSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
