using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class AddSchedulingSelection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "schedulable",
                table: "workers",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<string>(
                name: "note",
                table: "worker_events",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_workers_capabilities",
                table: "workers",
                column: "capabilities")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:StorageParameter:fastupdate", false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_workers_capabilities",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "schedulable",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "note",
                table: "worker_events");
        }
    }
}
