namespace WorkerFleet.Application.Common.Paging;

/// <summary>One page of a list ordered by id.</summary>
/// <typeparam name="T">The items' type.</typeparam>
/// <param name="Items">This page's items.</param>
/// <param name="NextCursor">An opaque token for the next page; null on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);
