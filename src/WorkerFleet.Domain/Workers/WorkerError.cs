namespace WorkerFleet.Domain.Workers;

/// <summary>An expected failure of a worker use case. Each case is a type so callers can match on it.</summary>
/// <param name="Message">A sentence for people: what went wrong, with the worker id where there is one.</param>
public abstract record WorkerError(string Message);

/// <summary>Registration of an id that is already registered.</summary>
/// <param name="Id">The id that is taken.</param>
public sealed record WorkerAlreadyExists(WorkerId Id) : WorkerError($"Worker '{Id}' is already registered.");

/// <summary>The worker is not registered (never was, or was unregistered).</summary>
/// <param name="Id">The id that was asked for.</param>
public sealed record WorkerNotFound(WorkerId Id) : WorkerError($"Worker '{Id}' is not registered.");

/// <summary>The request broke one or more validation rules, keyed by field name.</summary>
/// <param name="Errors">The messages per field, fields named as in JSON (camelCase).</param>
public sealed record InvalidConfiguration(IReadOnlyDictionary<string, string[]> Errors)
    : WorkerError("One or more fields are invalid.");

/// <summary>The state machine does not allow this change of status.</summary>
/// <param name="Id">The worker.</param>
/// <param name="From">Its current status.</param>
/// <param name="To">The status that was asked for.</param>
public sealed record InvalidStateTransition(WorkerId Id, WorkerStatus From, WorkerStatus To)
    : WorkerError($"Worker '{Id}' cannot move from {From} to {To}.");

/// <summary>A compare-and-set status change found the worker in another status than the caller expected.</summary>
/// <param name="Id">The worker.</param>
/// <param name="Expected">The status the caller expected.</param>
/// <param name="Actual">The status the worker is in.</param>
public sealed record StatusConflict(WorkerId Id, WorkerStatus Expected, WorkerStatus Actual)
    : WorkerError($"Worker '{Id}' is {Actual}, not {Expected} as expected.");

/// <summary>The presented worker token is not the current token of any worker, or not that worker's: it was never
/// issued, or has been rotated out.</summary>
public sealed record InvalidWorkerToken() : WorkerError("The worker token is not valid.");

/// <summary>Storage did not answer; the request changed nothing and may be retried later.</summary>
/// <param name="Reason">What failed, without connection details.</param>
public sealed record StorageUnavailable(string Reason) : WorkerError($"Worker storage is unavailable: {Reason}");

/// <summary>A reader of the journal asked for events after a sequence, and retention has deleted some of them since.</summary>
/// <param name="After">The sequence the reader asked after.</param>
/// <param name="DeletedThrough">The highest sequence retention deleted: reading after it misses nothing more.</param>
public sealed record EventsExpired(long After, long DeletedThrough)
    : WorkerError($"Events after {After} up to {DeletedThrough} were deleted by retention; read on after {DeletedThrough}.");
