using System.Data.Common;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>Tells a storage outage (worth retrying later) from a bug.</summary>
internal static class StorageFailure
{
    /// <summary>True when the exception, or one it wraps, is a transient database or timeout failure.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException { IsTransient: true } or TimeoutException or StorageUnavailableException)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Thrown by a storage adapter that cannot take a write now (it is shutting down, say): the request changed
/// nothing and may be retried, so callers answer it as an outage.</summary>
/// <param name="message">What the adapter could not do, without connection details.</param>
public sealed class StorageUnavailableException(string message) : Exception(message);
