using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence.Events;

namespace WorkerFleet.Infrastructure.Persistence.Configurations;

internal sealed class WorkerEventEntityConfiguration : IEntityTypeConfiguration<WorkerEventEntity>
{
    public void Configure(EntityTypeBuilder<WorkerEventEntity> builder)
    {
        builder.ToTable("worker_events");
        builder.HasKey(e => e.Sequence);
        // An identity column on PostgreSQL, AUTOINCREMENT on SQLite: never reused, even after retention empties the table.
        builder.Property(e => e.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
        builder.Property(e => e.At).HasColumnName("at");
        builder.Property(e => e.WorkerId).HasColumnName("worker_id").HasMaxLength(WorkerId.MaxLength);
        builder.Property(e => e.Type).HasColumnName("type").HasMaxLength(32);
        builder.Property(e => e.FromStatus).HasColumnName("from_status").HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.ToStatus).HasColumnName("to_status").HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.Trigger).HasColumnName("trigger").HasMaxLength(32);
        builder.Property(e => e.Actor).HasColumnName("actor").HasMaxLength(160);
        builder.Property(e => e.LastHeartbeatAt).HasColumnName("last_heartbeat_at");
        builder.Property(e => e.Cutoff).HasColumnName("cutoff");
        builder.Property(e => e.Note).HasColumnName("note").HasMaxLength(256);

        // A worker's timeline, newest first; retention deletes by time. No foreign key: the timeline outlives the worker.
        builder.HasIndex(e => new { e.WorkerId, e.Sequence }).HasDatabaseName("ix_worker_events_worker_id_sequence");
        builder.HasIndex(e => e.At).HasDatabaseName("ix_worker_events_at");
    }
}

internal sealed class EventRetentionEntityConfiguration : IEntityTypeConfiguration<EventRetentionEntity>
{
    public void Configure(EntityTypeBuilder<EventRetentionEntity> builder)
    {
        builder.ToTable("worker_event_retention");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(r => r.DeletedThrough).HasColumnName("deleted_through");
        // The row exists from the start, so retention only ever updates it.
        builder.HasData(new EventRetentionEntity { Id = EventRetentionEntity.TheRow });
    }
}
