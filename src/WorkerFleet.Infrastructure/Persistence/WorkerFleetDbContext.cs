using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using WorkerFleet.Infrastructure.Persistence.Control;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The worker store, the journal of its changes and the lifecycle's control state. Each provider has its own subclass so each keeps its own migrations.</summary>
internal abstract class WorkerFleetDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<WorkerEntity> Workers => Set<WorkerEntity>();

    public DbSet<HeartbeatEntity> Heartbeats => Set<HeartbeatEntity>();

    public DbSet<MassFailureHoldEntity> MassFailureHolds => Set<MassFailureHoldEntity>();

    public DbSet<MassFailureOverrideEntity> MassFailureOverrides => Set<MassFailureOverrideEntity>();

    public DbSet<StaleDetectionGraceEntity> StaleDetectionGrace => Set<StaleDetectionGraceEntity>();

    public DbSet<WorkerEventEntity> WorkerEvents => Set<WorkerEventEntity>();

    public DbSet<EventRetentionEntity> EventRetention => Set<EventRetentionEntity>();

    /// <summary>How reads run: retried on transient failures where the provider can tell them. Writes are never
    /// retried here, because a write whose commit was lost in transit may have happened (a heartbeat would count
    /// twice); a failed write answers 503 and the client decides.</summary>
    public virtual IExecutionStrategy ReadStrategy() => Database.CreateExecutionStrategy();

    /// <summary>A raw command for a statement EF Core cannot express, on this context's connection and transaction and
    /// with its command timeout.</summary>
    public DbCommand CreateCommand(string sql)
    {
        var command = Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = Database.CurrentTransaction?.GetDbTransaction();
        if (Database.GetCommandTimeout() is { } seconds)
        {
            command.CommandTimeout = seconds;
        }

        return command;
    }

    /// <summary>A raw command prepared once, to run many times with new values of the named parameters: on SQLite,
    /// where a statement costs microseconds, parsing it once per batch instead of once per row is worth having.</summary>
    public DbCommand CreatePreparedCommand(string sql, params IEnumerable<string> parameters) =>
        Prepare(CreateCommand(sql), parameters);

    /// <summary>A raw command on <paramref name="connection"/>, a connection of a writer's own, prepared as
    /// <see cref="CreatePreparedCommand"/> prepares one, for the writer to keep between its transactions.</summary>
    public static DbCommand Prepare(DbConnection connection, string sql, int? timeout, params IEnumerable<string> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeout ?? command.CommandTimeout;
        return Prepare(command, parameters);
    }

    private static DbCommand Prepare(DbCommand command, IEnumerable<string> parameters)
    {
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    /// <summary>The rows of a raw query, each read by <paramref name="read"/>, in the current transaction if there is one.
    /// Values go in as parameters, written <c>{0}</c>, <c>{1}</c>, … in the SQL as for <c>ExecuteSqlRaw</c>. Unlike
    /// <c>SqlQueryRaw</c>, no LINQ query is compiled for it: a statement the process runs once in a while, such as a
    /// lifecycle sweep's, would pay that compilation, some milliseconds, on its first run after every start
    /// (docs/performance-log.md).</summary>
    public async Task<List<T>> ReadAsync<T>(
        string sql, IReadOnlyList<object> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var command = this.GetService<IRawSqlCommandBuilder>().Build(sql, parameters, Model);
        var context = new RelationalCommandParameterObject(
            this.GetService<IRelationalConnection>(), command.ParameterValues, null, this, this.GetService<IRelationalCommandDiagnosticsLogger>());
        await using var reader = await command.RelationalCommand.ExecuteReaderAsync(context, cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader.DbDataReader));
        }

        return rows;
    }

    /// <summary>The timestamp in column <paramref name="ordinal"/> of a raw query's row, as UTC.</summary>
    public virtual DateTime GetTimestamp(DbDataReader row, int ordinal) => row.GetDateTime(ordinal);

    /// <summary>The placeholders <c>{first}</c>, <c>{first + 1}</c>, … of <paramref name="count"/> values, comma-separated:
    /// an IN list of raw SQL whose values go in as parameters.</summary>
    public static string Placeholders(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => $"{{{i}}}"));

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkerFleetDbContext).Assembly);
}
