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
            if (current is DbException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
