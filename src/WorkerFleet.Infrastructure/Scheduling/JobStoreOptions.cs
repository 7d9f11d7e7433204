namespace WorkerFleet.Infrastructure.Scheduling;

/// <summary>Where the scheduler keeps its state, bound from <c>WorkerFleet:Scheduling</c>.</summary>
public sealed class JobStoreOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Scheduling";

    /// <summary>Run the jobs on Quartz's persistent job store in the PostgreSQL database, clustered: with several
    /// instances, each fire runs on exactly one of them, and the jobs move to a survivor when an instance dies.
    /// False (the default) keeps the scheduler in memory, for a single instance.</summary>
    public bool Clustered { get; set; }

    /// <summary>How often a clustered instance reports in; a silent instance's jobs move after a few intervals.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);
}
