namespace WorkerFleet.Application.Common.Paging;

/// <summary>One page of a list ordered by id. <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
