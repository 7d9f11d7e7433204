using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    internal partial class EventRetentionBoundary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "worker_event_retention",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    deleted_through = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_worker_event_retention", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "worker_event_retention",
                columns: new[] { "id", "deleted_through" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "worker_event_retention");
        }
    }
}
