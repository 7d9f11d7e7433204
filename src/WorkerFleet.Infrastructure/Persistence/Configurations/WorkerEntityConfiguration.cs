using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Infrastructure.Persistence.Configurations;

internal sealed class WorkerEntityConfiguration : IEntityTypeConfiguration<WorkerEntity>
{
    public void Configure(EntityTypeBuilder<WorkerEntity> builder)
    {
        builder.ToTable("workers");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).HasColumnName("id").HasMaxLength(WorkerId.MaxLength);
        builder.Property(w => w.Region).HasColumnName("region").HasMaxLength(64);
        builder.Property(w => w.Capacity).HasColumnName("capacity");
        builder.Property(w => w.Capabilities).HasColumnName("capabilities");
        builder.Property(w => w.Metadata).HasColumnName("metadata")
            .HasConversion(
                m => WorkerEntity.ToJson(m),
                json => JsonSerializer.Deserialize<Dictionary<string, string>>(json, JsonSerializerOptions.Default) ?? new Dictionary<string, string>(),
                new ValueComparer<Dictionary<string, string>>(
                    (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
                    m => m.Aggregate(0, (hash, e) => hash ^ HashCode.Combine(e.Key, e.Value)),
                    m => new Dictionary<string, string>(m, StringComparer.Ordinal)));
        builder.Property(w => w.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.RegisteredAt).HasColumnName("registered_at");
        builder.Property(w => w.LastHeartbeatAt).HasColumnName("last_heartbeat_at");
        builder.Property(w => w.HeartbeatsRecorded).HasColumnName("heartbeats_recorded");
        builder.Property(w => w.Version).HasColumnName("version").IsConcurrencyToken();
        builder.Property(w => w.TokenHash).HasColumnName("token_hash").HasMaxLength(64);
        // Workers are schedulable until an operator cordons them: the registration writers leave the column to its
        // default, and the rows that existed before cordoning did take it. True is the sentinel, so EF Core too leaves
        // the column out for a schedulable worker and writes only a false.
        builder.Property(w => w.Schedulable).HasColumnName("schedulable").HasDefaultValue(true).HasSentinel(true);

        // No index holds last_heartbeat_at or status: neither a heartbeat nor a status change then changes an indexed
        // column, so PostgreSQL updates the row in place (a HOT update) instead of writing an entry in every index. A
        // heartbeat writes a tenth of the WAL, and a sweep that moves 10,000 workers takes a third of the time; the
        // sweeps read the table once, and a status listing pages through the primary key (docs/performance-log.md).
        // Authenticating a worker looks its token up by hash.
        builder.HasIndex(w => w.TokenHash).IsUnique().HasDatabaseName("ix_workers_token_hash");
    }
}
