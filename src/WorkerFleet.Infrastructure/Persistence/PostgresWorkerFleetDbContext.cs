using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence;

/// <summary>The production store: PostgreSQL with native text[], jsonb and timestamptz columns.</summary>
internal sealed class PostgresWorkerFleetDbContext(DbContextOptions<PostgresWorkerFleetDbContext> options) : WorkerFleetDbContext(options)
{
    public override IExecutionStrategy ReadStrategy() =>
        new NpgsqlRetryingExecutionStrategy(this, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<WorkerEntity>(worker =>
        {
            // Ids page in ordinal order on every provider, whatever the database's locale.
            worker.Property(w => w.Id).UseCollation("C");
            worker.Property(w => w.Metadata).HasColumnType("jsonb");
            // Room in each page for the new version of a row a heartbeat updates, so the update stays on its page.
            worker.HasStorageParameter("fillfactor", 80);
            // Selection by capability: capabilities never change after registration, so the index costs heartbeats and
            // sweeps nothing (their updates stay HOT); SQLite has no such index and scans. Without fastupdate a
            // registration enters the index at once: with it, new workers wait in a pending list that every selection
            // reads through until vacuum merges it.
            worker.HasIndex(w => w.Capabilities).HasMethod("gin").HasStorageParameter("fastupdate", false)
                .HasDatabaseName("ix_workers_capabilities");
        });
        modelBuilder.Entity<WorkerEventEntity>(e => e.Property(w => w.WorkerId).UseCollation("C"));
        modelBuilder.Entity<HeartbeatEntity>(heartbeat =>
        {
            heartbeat.Property(h => h.WorkerId).UseCollation("C");
            heartbeat.HasStorageParameter("fillfactor", 90);
        });
    }
}
