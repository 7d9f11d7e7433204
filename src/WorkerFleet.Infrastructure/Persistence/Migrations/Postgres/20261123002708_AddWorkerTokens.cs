using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace WorkerFleet.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    internal partial class AddWorkerTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "token_hash",
                table: "workers",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_workers_token_hash",
                table: "workers",
                column: "token_hash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_workers_token_hash",
                table: "workers");

            migrationBuilder.DropColumn(
                name: "token_hash",
                table: "workers");
        }
    }
}
