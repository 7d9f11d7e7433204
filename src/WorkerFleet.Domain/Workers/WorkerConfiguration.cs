namespace WorkerFleet.Domain.Workers;

/// <summary>What a worker declares about itself when it registers.</summary>
/// <param name="Region">Where it runs, e.g. <c>us-east-1</c>.</param>
/// <param name="Capacity">How much work it takes at once (1–100000).</param>
/// <param name="Capabilities">What it can do, e.g. <c>compute</c>; distinct.</param>
/// <param name="Metadata">Free-form labels.</param>
public sealed record WorkerConfiguration(
    string Region,
    int Capacity,
    IReadOnlyList<string> Capabilities,
    IReadOnlyDictionary<string, string> Metadata);
