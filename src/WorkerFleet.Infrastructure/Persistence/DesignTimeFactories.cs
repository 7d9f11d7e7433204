using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace WorkerFleet.Infrastructure.Persistence;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWorkerFleetDbContext>
{
    public SqliteWorkerFleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteWorkerFleetDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresWorkerFleetDbContext>
{
    public PostgresWorkerFleetDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWorkerFleetDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
