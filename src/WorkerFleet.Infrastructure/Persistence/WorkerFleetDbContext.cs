using System.Data.Common;
using Microsoft.EntityFrameworkCore;
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
    public DbCommand CreatePreparedCommand(string sql, params IEnumerable<string> parameters)
    {
        var command = CreateCommand(sql);
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkerFleetDbContext).Assembly);
}
