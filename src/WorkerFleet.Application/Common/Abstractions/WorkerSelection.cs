using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>Which workers a listing reads: every filter given narrows it, and an empty selection is the whole fleet.</summary>
/// <param name="Status">Only workers in this status.</param>
/// <param name="IdPrefix">Only workers whose id starts with it (ordinal, so case-sensitive, and every character literal).</param>
/// <param name="Region">Only workers of this region (ordinal).</param>
/// <param name="Capabilities">Only workers that have every one of these capabilities (ordinal).</param>
/// <param name="MinCapacity">Only workers of at least this capacity.</param>
/// <param name="Schedulable">Only workers that are (true) or are not (false) schedulable.</param>
public sealed record WorkerSelection(
    WorkerStatus? Status = null, string? IdPrefix = null, string? Region = null, IReadOnlyList<string>? Capabilities = null, int? MinCapacity = null,
    bool? Schedulable = null)
{
    /// <summary>Every worker.</summary>
    public static WorkerSelection All { get; } = new();
}
