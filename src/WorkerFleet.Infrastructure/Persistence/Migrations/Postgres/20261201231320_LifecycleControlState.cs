using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class LifecycleControlState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mass_failure_holds",
                columns: table => new
                {
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    since = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    stale = table.Column<int>(type: "integer", nullable: false),
                    active = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mass_failure_holds", x => x.region);
                });

            migrationBuilder.CreateTable(
                name: "mass_failure_overrides",
                columns: table => new
                {
                    region = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    armed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    armed_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mass_failure_overrides", x => x.region);
                });

            migrationBuilder.CreateTable(
                name: "stale_detection_grace",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    starts_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stale_detection_grace", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "stale_detection_grace",
                columns: new[] { "id", "starts_at" },
                values: new object[] { 1, null });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mass_failure_holds");

            migrationBuilder.DropTable(
                name: "mass_failure_overrides");

            migrationBuilder.DropTable(
                name: "stale_detection_grace");
        }
    }
}
