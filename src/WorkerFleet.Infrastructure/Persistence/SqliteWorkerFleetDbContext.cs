using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The embedded default: a SQLite file, single instance.</summary>
internal sealed class SqliteWorkerFleetDbContext(DbContextOptions<SqliteWorkerFleetDbContext> options) : WorkerFleetDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        // SQLite keeps timestamps as text without a kind; every timestamp written is UTC, so read it back as UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        value => value,
        value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
