using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkerFleet.Infrastructure.Persistence.Configurations;

internal sealed class HeartbeatEntityConfiguration : IEntityTypeConfiguration<HeartbeatEntity>
{
    public void Configure(EntityTypeBuilder<HeartbeatEntity> builder)
    {
        builder.ToTable("worker_heartbeats");
        builder.HasKey(h => new { h.WorkerId, h.Slot });
        builder.Property(h => h.WorkerId).HasColumnName("worker_id");
        builder.Property(h => h.Slot).HasColumnName("slot");
        builder.Property(h => h.Sequence).HasColumnName("sequence");
        builder.Property(h => h.ReceivedAt).HasColumnName("received_at");

        // Unregistering deletes the worker row; the database removes its history in the same statement.
        builder.HasOne<WorkerEntity>().WithMany().HasForeignKey(h => h.WorkerId).OnDelete(DeleteBehavior.Cascade);
    }
}
