namespace WorkerFleet.Domain.Workers;

/// <summary>What a worker declares about itself when it registers.</summary>
public sealed record WorkerConfiguration(
    string Region,
    int Capacity,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> Metadata);
