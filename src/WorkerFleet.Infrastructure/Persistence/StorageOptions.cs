namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The database WorkerFleet stores workers in.</summary>
public enum StorageProvider
{
    /// <summary>An embedded SQLite file: no server, one instance.</summary>
    Sqlite,

    /// <summary>PostgreSQL, named by <c>ConnectionStrings:WorkerFleet</c>.</summary>
    Postgres,
}

/// <summary>Where workers are stored, bound from <c>WorkerFleet:Storage</c>. The PostgreSQL connection string
/// is <c>ConnectionStrings:WorkerFleet</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "WorkerFleet:Storage";

    /// <summary>The name of the PostgreSQL connection string under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "WorkerFleet";

    /// <summary>The database to use; SQLite unless configured otherwise.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite database file; a relative path is under the host's content root.</summary>
    public string SqlitePath { get; set; } = "workerfleet.db";

    /// <summary>How long one database command may run before it fails, so no request hangs on a stuck database.
    /// (Connecting is bounded by the connection string's own <c>Timeout</c>, 15 seconds by default in Npgsql.)</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most heartbeats, or registrations, written by one transaction. Those that arrive while a batch is
    /// being written wait for the next one (group commit), so under load each commit carries many of them.</summary>
    public int WriteBatchSize { get; set; } = 1000;

    /// <summary>Creates or migrates the schema when the host starts.</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;
}
