using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The embedded default: a SQLite file, single instance.</summary>
internal sealed class SqliteWorkerFleetDbContext(DbContextOptions<SqliteWorkerFleetDbContext> options) : WorkerFleetDbContext(options)
{
    /// <summary>A UTC timestamp as SQLite stores it: its ticks (100 ns since 0001-01-01), an integer of 8 bytes where
    /// SQLite's text form takes up to 27. The rows of <c>workers</c> get shorter by as much twice, and a sweep, which
    /// reads and rewrites the whole table, has a quarter fewer pages to go through (docs/performance.md). Ticks keep
    /// every digit a <see cref="DateTime"/> has, so a timestamp reads back exactly as it was written, and they order as
    /// the times do.</summary>
    public static long Stored(DateTime utc) => utc.Ticks;

    /// <inheritdoc cref="Stored(DateTime)"/>
    public static object Stored(DateTime? utc) => utc is { } value ? Stored(value) : DBNull.Value;

    public override DateTime GetTimestamp(DbDataReader row, int ordinal) => new(row.GetInt64(ordinal), DateTimeKind.Utc);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcTicksConverter>();
        // The same for a timestamp that goes into raw SQL as a parameter, so it compares with the columns.
        configurationBuilder.DefaultTypeMapping<DateTime>().HasConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTime, long>(
        value => Stored(value),
        ticks => new DateTime(ticks, DateTimeKind.Utc));
}
