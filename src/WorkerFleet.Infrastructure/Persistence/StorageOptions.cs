namespace WorkerFleet.Infrastructure.Persistence;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Where workers are stored, bound from <c>WorkerFleet:Storage</c>. The PostgreSQL connection string
/// is <c>ConnectionStrings:WorkerFleet</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "WorkerFleet:Storage";
    public const string ConnectionStringName = "WorkerFleet";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite database file; a relative path is under the host's content root.</summary>
    public string SqlitePath { get; set; } = "workerfleet.db";

    /// <summary>Creates or migrates the schema when the host starts.</summary>
    public bool ApplyMigrationsOnStartup { get; set; } = true;
}
