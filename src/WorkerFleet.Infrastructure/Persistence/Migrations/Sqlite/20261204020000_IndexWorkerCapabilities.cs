using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>Indexes each worker's capabilities in a table of their own, (capability, worker id), and counts the
    /// workers of each capability, both kept by triggers on workers, so a selection can start from the workers with
    /// its rarest capability instead of reading every row's JSON (docs/performance-log.md, "Selection on the server").
    /// Not in the model: only that query reads them.</summary>
    internal partial class IndexWorkerCapabilities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE worker_capabilities (
                    capability TEXT NOT NULL,
                    worker_id TEXT NOT NULL,
                    PRIMARY KEY (capability, worker_id)
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                CREATE TABLE capability_counts (
                    capability TEXT NOT NULL PRIMARY KEY,
                    workers INTEGER NOT NULL
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER workers_index_capabilities AFTER INSERT ON workers
                BEGIN
                    {Index("NEW")}
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER workers_reindex_capabilities AFTER UPDATE OF capabilities ON workers
                BEGIN
                    {Unindex("OLD")}
                    {Index("NEW")}
                END;
                """);
            migrationBuilder.Sql($"""
                CREATE TRIGGER workers_unindex_capabilities AFTER DELETE ON workers
                BEGIN
                    {Unindex("OLD")}
                END;
                """);
            migrationBuilder.Sql("""
                INSERT INTO worker_capabilities (capability, worker_id)
                SELECT DISTINCT c.value, w.id FROM workers AS w, json_each(w.capabilities) AS c;
                """);
            migrationBuilder.Sql("""
                INSERT INTO capability_counts (capability, workers)
                SELECT capability, COUNT(*) FROM worker_capabilities GROUP BY capability;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER workers_unindex_capabilities;");
            migrationBuilder.Sql("DROP TRIGGER workers_reindex_capabilities;");
            migrationBuilder.Sql("DROP TRIGGER workers_index_capabilities;");
            migrationBuilder.Sql("DROP TABLE capability_counts;");
            migrationBuilder.Sql("DROP TABLE worker_capabilities;");
        }

        // The statements that add one worker's capabilities (row NEW or OLD of the trigger) to the index and the counts,
        // and that take them out again. A capability listed twice counts once.
        private static string Index(string row) => $"""
            INSERT OR IGNORE INTO worker_capabilities (capability, worker_id)
                    SELECT DISTINCT value, {row}.id FROM json_each({row}.capabilities);
                    INSERT INTO capability_counts (capability, workers)
                    SELECT DISTINCT value, 1 FROM json_each({row}.capabilities) WHERE true
                    ON CONFLICT (capability) DO UPDATE SET workers = workers + 1;
            """;

        private static string Unindex(string row) => $"""
            UPDATE capability_counts SET workers = workers - 1
                    WHERE capability IN (SELECT value FROM json_each({row}.capabilities));
                    DELETE FROM worker_capabilities
                    WHERE capability IN (SELECT value FROM json_each({row}.capabilities)) AND worker_id = {row}.id;
            """;
    }
}
