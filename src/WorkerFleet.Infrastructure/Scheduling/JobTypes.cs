using System.Collections.Frozen;
using WorkerFleet.Application.Workers.Commands;

namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>The job types this service schedules: the only ones the Quartz HTTP API may store.</summary>
public static class JobTypes
{
    // Every job AddLifecycleJobs and the retention job schedule; a test checks that each scheduled job is one of them.
    private static readonly FrozenSet<Type> Own = new[]
    {
        typeof(LifecycleTransitionJob<ActivatePendingWorkers>),
        typeof(LifecycleTransitionJob<MarkStaleWorkersOffline>),
        typeof(LifecycleTransitionJob<ReactivateOfflineWorkers>),
        typeof(EventRetentionJob),
    }.ToFrozenSet();

    /// <summary>Whether <paramref name="typeName"/>, an assembly-qualified name as the Quartz HTTP API receives it,
    /// names exactly one of the service's own job types, generic arguments included. A name that resolves to no type,
    /// or to any other (another job, the lifecycle job over a foreign command), is not.</summary>
    public static bool IsOwn(string typeName)
    {
        try
        {
            return Type.GetType(typeName, throwOnError: false) is { } type && Own.Contains(type);
        }
        catch (Exception e) when (e is ArgumentException or TypeLoadException or IOException or BadImageFormatException)
        {
            // A malformed name, or generic arguments the job's constraints refuse.
            return false;
        }
    }
}
