namespace WorkerFleet.Infrastructure.Persistence.Control;

/// <summary>A row of <c>mass_failure_holds</c>: a region stale detection holds. Timestamps are UTC.</summary>
internal sealed class MassFailureHoldEntity
{
    public required string Region { get; set; }

    public DateTime Since { get; set; }

    public int Stale { get; set; }

    public int Active { get; set; }
}

/// <summary>A row of <c>mass_failure_overrides</c>: an armed override; the empty region stands for every region.</summary>
internal sealed class MassFailureOverrideEntity
{
    public const string EveryRegion = "";

    public required string Region { get; set; }

    public DateTime ArmedAt { get; set; }

    public required string ArmedBy { get; set; }

    public DateTime ExpiresAt { get; set; }
}

/// <summary>The one row of <c>stale_detection_grace</c>: the latest start of stale detection's grace period (an instance
/// starting to answer, or storage coming back), which every instance waits one heartbeat timeout from.</summary>
internal sealed class StaleDetectionGraceEntity
{
    public const int TheRow = 1;

    public int Id { get; set; }

    public DateTime? StartsAt { get; set; }
}
