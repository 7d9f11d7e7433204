using Microsoft.EntityFrameworkCore;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The worker store. Each provider has its own subclass so each keeps its own migrations.</summary>
internal abstract class WorkerFleetDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<WorkerEntity> Workers => Set<WorkerEntity>();

    public DbSet<HeartbeatEntity> Heartbeats => Set<HeartbeatEntity>();

    /// <summary>How reads run: retried on transient failures where the provider can tell them. Writes are never
    /// retried here, because a write whose commit was lost in transit may have happened (a heartbeat would count
    /// twice); a failed write answers 503 and the client decides.</summary>
    public virtual Microsoft.EntityFrameworkCore.Storage.IExecutionStrategy ReadStrategy() => Database.CreateExecutionStrategy();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkerFleetDbContext).Assembly);
}
