using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Abstractions;

/// <summary>A worker and the SHA-256 hash of its current token (never the token, which is not stored).</summary>
/// <param name="TokenHash">The token's hash, as <see cref="WorkerToken.HashOf"/> computes it.</param>
/// <param name="WorkerId">The worker holding it.</param>
public sealed record TokenHolder(string TokenHash, WorkerId WorkerId);
