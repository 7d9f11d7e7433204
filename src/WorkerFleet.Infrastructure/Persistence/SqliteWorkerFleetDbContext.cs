using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The embedded default: a SQLite file, single instance.</summary>
internal sealed class SqliteWorkerFleetDbContext(DbContextOptions<SqliteWorkerFleetDbContext> options) : WorkerFleetDbContext(options)
{
    /// <summary>A UTC timestamp as SQLite stores it: its ticks (100 ns since 0001-01-01), an integer of 8 bytes where
    /// SQLite's text form takes up to 27. Each row of <c>workers</c> gets shorter by up to 19 bytes for each of its two
    /// timestamps, and a sweep, which reads and rewrites the whole table, has a quarter fewer pages to go through
    /// (docs/performance-log.md). Ticks keep every digit a <see cref="DateTime"/> has, so a timestamp reads back
    /// exactly as it was written, and they order as the times do. For the commands written by hand; EF Core converts
    /// the rest.</summary>
    public static long Stored(DateTime utc) => utc.Ticks;

    /// <inheritdoc cref="Stored(DateTime)"/>
    public static long? Stored(DateTime? utc) => utc is { } value ? Stored(value) : null;

    /// <summary>The UTC timestamp of ticks <see cref="Stored(DateTime)"/> gave.</summary>
    public static DateTime FromStored(long ticks) => new(ticks, DateTimeKind.Utc);

    public override DateTime GetTimestamp(DbDataReader row, int ordinal) => FromStored(row.GetInt64(ordinal));

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcTicksConverter>();
        // The same for a timestamp that goes as a parameter into raw SQL that EF Core builds (ExecuteSqlRaw, ReadAsync),
        // so it compares with the columns.
        configurationBuilder.DefaultTypeMapping<DateTime>().HasConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<WorkerEntity>().Property(w => w.Capabilities).Metadata
            .SetJsonValueReaderWriterType(typeof(SqliteCapabilitiesJson));
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTime, long>(
        value => Stored(value),
        ticks => FromStored(ticks));
}
