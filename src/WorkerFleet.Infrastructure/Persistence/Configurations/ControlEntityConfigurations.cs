using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkerFleet.Infrastructure.Persistence.Control;

namespace WorkerFleet.Infrastructure.Persistence.Configurations;

internal sealed class MassFailureHoldEntityConfiguration : IEntityTypeConfiguration<MassFailureHoldEntity>
{
    public void Configure(EntityTypeBuilder<MassFailureHoldEntity> builder)
    {
        builder.ToTable("mass_failure_holds");
        builder.HasKey(h => h.Region);
        builder.Property(h => h.Region).HasColumnName("region").HasMaxLength(64);
        builder.Property(h => h.Since).HasColumnName("since");
        builder.Property(h => h.Stale).HasColumnName("stale");
        builder.Property(h => h.Active).HasColumnName("active");
    }
}

internal sealed class MassFailureOverrideEntityConfiguration : IEntityTypeConfiguration<MassFailureOverrideEntity>
{
    public void Configure(EntityTypeBuilder<MassFailureOverrideEntity> builder)
    {
        builder.ToTable("mass_failure_overrides");
        builder.HasKey(o => o.Region);
        builder.Property(o => o.Region).HasColumnName("region").HasMaxLength(64);
        builder.Property(o => o.ArmedAt).HasColumnName("armed_at");
        builder.Property(o => o.ArmedBy).HasColumnName("armed_by").HasMaxLength(128);
        builder.Property(o => o.ExpiresAt).HasColumnName("expires_at");
    }
}

internal sealed class StaleDetectionGraceEntityConfiguration : IEntityTypeConfiguration<StaleDetectionGraceEntity>
{
    public void Configure(EntityTypeBuilder<StaleDetectionGraceEntity> builder)
    {
        builder.ToTable("stale_detection_grace");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).HasColumnName("id").ValueGeneratedNever();
        builder.Property(g => g.StartsAt).HasColumnName("starts_at");
        // The row exists from the start, so instances only ever update it and never race to insert it.
        builder.HasData(new StaleDetectionGraceEntity { Id = StaleDetectionGraceEntity.TheRow });
    }
}
