using Microsoft.EntityFrameworkCore;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The worker store. Each provider has its own subclass so each keeps its own migrations.</summary>
internal abstract class WorkerFleetDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<WorkerEntity> Workers => Set<WorkerEntity>();

    public DbSet<HeartbeatEntity> Heartbeats => Set<HeartbeatEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WorkerFleetDbContext).Assembly);
}
