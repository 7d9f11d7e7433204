using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>Stores every timestamp as its UTC ticks, an integer, instead of SQLite's text form of up to 27 characters
    /// (<see cref="SqliteWorkerFleetDbContext.Stored(System.DateTime)"/>). SQLite cannot change a column's type, so each
    /// table with a timestamp is built again under its own name, filled with the converted rows and renamed, which also
    /// packs the rows into as few pages as they need. <c>workers</c> loses its triggers and its history's foreign key when
    /// it is dropped, and dropping it with the history still referring to it would delete the history: the history is
    /// kept aside first and put back last, and the triggers are created again.</summary>
    internal partial class IntegerTimestamps : Migration
    {
        // 0001-01-01 to 1970-01-01 in seconds: ticks count from the first, strftime's '%s' from the second.
        private const long EpochSeconds = 62135596800;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, "INTEGER", Ticks);

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, "TEXT", Text);

        private static void Rebuild(MigrationBuilder migrationBuilder, string type, Func<string, string> convert)
        {
            migrationBuilder.Sql($"""
                CREATE TABLE history_aside AS
                SELECT worker_id, slot, sequence, {convert("received_at")} AS received_at FROM worker_heartbeats;
                """);
            migrationBuilder.Sql("DROP TABLE worker_heartbeats;");

            Copy(migrationBuilder, "workers", $"""
                "id" TEXT NOT NULL CONSTRAINT "PK_workers" PRIMARY KEY,
                "region" TEXT NOT NULL,
                "capacity" INTEGER NOT NULL,
                "capabilities" TEXT NOT NULL,
                "metadata" TEXT NOT NULL,
                "status" TEXT NOT NULL,
                "registered_at" {type} NOT NULL,
                "last_heartbeat_at" {type} NULL,
                "heartbeats_recorded" INTEGER NOT NULL,
                "version" INTEGER NOT NULL,
                "token_hash" TEXT NULL,
                "schedulable" INTEGER NOT NULL DEFAULT 1
                """,
                $"""
                id, region, capacity, capabilities, metadata, status, {convert("registered_at")}, {convert("last_heartbeat_at")},
                heartbeats_recorded, version, token_hash, schedulable
                """);
            migrationBuilder.Sql("""CREATE UNIQUE INDEX "ix_workers_token_hash" ON "workers" ("token_hash");""");
            CoverWorkerCapabilities.CreateCoveringTriggers(migrationBuilder);

            migrationBuilder.Sql($"""
                CREATE TABLE "worker_heartbeats" (
                    "worker_id" TEXT NOT NULL,
                    "slot" INTEGER NOT NULL,
                    "sequence" INTEGER NOT NULL,
                    "received_at" {type} NOT NULL,
                    CONSTRAINT "PK_worker_heartbeats" PRIMARY KEY ("worker_id", "slot"),
                    CONSTRAINT "FK_worker_heartbeats_workers_worker_id" FOREIGN KEY ("worker_id") REFERENCES "workers" ("id") ON DELETE CASCADE
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO worker_heartbeats (worker_id, slot, sequence, received_at)
                SELECT worker_id, slot, sequence, received_at FROM history_aside;
                """);
            migrationBuilder.Sql("DROP TABLE history_aside;");

            // The journal's sequences are its readers' positions: the copy goes on from where the journal was, even past
            // events retention has deleted, so no sequence is ever handed out twice.
            Copy(migrationBuilder, "worker_events", $"""
                "sequence" INTEGER NOT NULL CONSTRAINT "PK_worker_events" PRIMARY KEY AUTOINCREMENT,
                "at" {type} NOT NULL,
                "worker_id" TEXT NOT NULL,
                "type" TEXT NOT NULL,
                "from_status" TEXT NULL,
                "to_status" TEXT NULL,
                "trigger" TEXT NULL,
                "actor" TEXT NOT NULL,
                "last_heartbeat_at" {type} NULL,
                "cutoff" {type} NULL,
                "note" TEXT NULL
                """,
                $"""
                sequence, {convert("at")}, worker_id, type, from_status, to_status, trigger, actor, {convert("last_heartbeat_at")},
                {convert("cutoff")}, note
                """,
                beforeDrop: """
                    DELETE FROM sqlite_sequence WHERE name = 'worker_events_copy';
                    INSERT INTO sqlite_sequence (name, seq) SELECT 'worker_events_copy', seq FROM sqlite_sequence WHERE name = 'worker_events';
                    """);
            migrationBuilder.Sql("""CREATE INDEX "ix_worker_events_at" ON "worker_events" ("at");""");
            migrationBuilder.Sql("""CREATE INDEX "ix_worker_events_worker_id_sequence" ON "worker_events" ("worker_id", "sequence");""");

            Copy(migrationBuilder, "mass_failure_holds", $"""
                "region" TEXT NOT NULL CONSTRAINT "PK_mass_failure_holds" PRIMARY KEY,
                "since" {type} NOT NULL,
                "stale" INTEGER NOT NULL,
                "active" INTEGER NOT NULL
                """,
                $"region, {convert("since")}, stale, active");
            Copy(migrationBuilder, "mass_failure_overrides", $"""
                "region" TEXT NOT NULL CONSTRAINT "PK_mass_failure_overrides" PRIMARY KEY,
                "armed_at" {type} NOT NULL,
                "armed_by" TEXT NOT NULL,
                "expires_at" {type} NOT NULL
                """,
                $"region, {convert("armed_at")}, armed_by, {convert("expires_at")}");
            Copy(migrationBuilder, "stale_detection_grace", $"""
                "id" INTEGER NOT NULL CONSTRAINT "PK_stale_detection_grace" PRIMARY KEY,
                "starts_at" {type} NULL
                """,
                $"id, {convert("starts_at")}");
        }

        /// <summary>Builds <paramref name="table"/> again with <paramref name="columns"/>, its rows selected from the old
        /// one as <paramref name="select"/>, in the columns' order.</summary>
        private static void Copy(MigrationBuilder migrationBuilder, string table, string columns, string select, string beforeDrop = null)
        {
            var copy = table + "_copy";
            migrationBuilder.Sql($"""
                CREATE TABLE "{copy}" (
                {columns}
                );
                """);
            migrationBuilder.Sql($"INSERT INTO \"{copy}\" SELECT {select} FROM \"{table}\";");
            if (beforeDrop is not null)
            {
                migrationBuilder.Sql(beforeDrop);
            }

            migrationBuilder.Sql($"DROP TABLE \"{table}\";");
            migrationBuilder.Sql($"ALTER TABLE \"{copy}\" RENAME TO \"{table}\";");
        }

        // SQLite's text form, 'yyyy-MM-dd HH:mm:ss' and up to seven digits of fraction with its trailing zeros left off,
        // to ticks, and back.
        private static string Ticks(string column) => $"""
            CASE WHEN {column} IS NULL THEN NULL
                 ELSE (CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER) + {EpochSeconds}) * 10000000
                      + CASE WHEN length({column}) > 20 THEN CAST(substr(substr({column}, 21) || '000000', 1, 7) AS INTEGER) ELSE 0 END
            END
            """;

        private static string Text(string column) => $"""
            CASE WHEN {column} IS NULL THEN NULL
                 ELSE strftime('%Y-%m-%d %H:%M:%S', {column} / 10000000 - {EpochSeconds}, 'unixepoch')
                      || CASE WHEN {column} % 10000000 = 0 THEN '' ELSE '.' || rtrim(printf('%07d', {column} % 10000000), '0') END
            END
            """;
    }
}
