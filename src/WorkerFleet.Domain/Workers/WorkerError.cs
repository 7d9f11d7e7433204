namespace WorkerFleet.Domain.Workers;

/// <summary>An expected failure of a worker use case. Each case is a type so callers can match on it.</summary>
public abstract record WorkerError(string Message);

public sealed record WorkerAlreadyExists(WorkerId Id) : WorkerError($"Worker '{Id}' is already registered.");

public sealed record WorkerNotFound(WorkerId Id) : WorkerError($"Worker '{Id}' is not registered.");

/// <summary>The request broke one or more validation rules, keyed by field name.</summary>
public sealed record InvalidConfiguration(IReadOnlyDictionary<string, string[]> Errors)
    : WorkerError("One or more fields are invalid.");

public sealed record InvalidStateTransition(WorkerId Id, WorkerStatus From, WorkerStatus To)
    : WorkerError($"Worker '{Id}' cannot move from {From} to {To}.");

public sealed record StatusConflict(WorkerId Id, WorkerStatus Expected, WorkerStatus Actual)
    : WorkerError($"Worker '{Id}' is {Actual}, not {Expected} as expected.");

public sealed record StorageUnavailable(string Reason) : WorkerError($"Worker storage is unavailable: {Reason}");
