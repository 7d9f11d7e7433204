using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "workers",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    capabilities = table.Column<string>(type: "TEXT", nullable: false),
                    metadata = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    registered_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_heartbeat_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    heartbeats_recorded = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_workers", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "worker_heartbeats",
                columns: table => new
                {
                    worker_id = table.Column<string>(type: "TEXT", nullable: false),
                    slot = table.Column<int>(type: "INTEGER", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    received_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_worker_heartbeats", x => new { x.worker_id, x.slot });
                    table.ForeignKey(
                        name: "FK_worker_heartbeats_workers_worker_id",
                        column: x => x.worker_id,
                        principalTable: "workers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_workers_status_id",
                table: "workers",
                columns: new[] { "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_workers_status_last_heartbeat_at",
                table: "workers",
                columns: new[] { "status", "last_heartbeat_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "worker_heartbeats");

            migrationBuilder.DropTable(
                name: "workers");
        }
    }
}
