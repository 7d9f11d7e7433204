using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Commands;

/// <summary>Registers a new worker; it starts Pending.</summary>
/// <param name="Id">1–128 characters of A–Z a–z 0–9 . _ -, starting with a letter or digit; not 'active', 'metadata' or 'counts'.</param>
/// <param name="Region">1–64 characters, no control characters.</param>
/// <param name="Capacity">1–100000.</param>
/// <param name="Capabilities">At most 32, each 1–64 characters, no duplicates.</param>
/// <param name="Metadata">At most 32 entries; keys 1–64 characters, values up to 512.</param>
public sealed record RegisterWorker(
    string Id,
    string Region,
    int Capacity,
    IReadOnlyList<string>? Capabilities = null,
    IReadOnlyDictionary<string, string>? Metadata = null) : IRequest<Result<RegisteredWorker>>;

/// <summary>A new registration.</summary>
/// <param name="Worker">The worker, Pending.</param>
/// <param name="Token">Its token, shown this once: the worker sends it with every heartbeat. Only a hash is stored.</param>
public sealed record RegisteredWorker(Worker Worker, string Token)
{
    // Anything that prints this record (a log line, a debugger) must not show the token.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"Worker = {Worker.Id}, Token = {WorkerToken.Redacted}");
        return true;
    }
}

internal sealed class RegisterWorkerValidator : AbstractValidator<RegisterWorker>
{
    public const int MaxCapabilities = 32;
    public const int MaxMetadataEntries = 32;

    public RegisterWorkerValidator()
    {
        RuleFor(r => r.Id).ValidWorkerId();
        RuleFor(r => r.Region).ValidRegion();
        RuleFor(r => r.Capacity).InclusiveBetween(1, 100_000).WithMessage("capacity must be between 1 and 100000.");
        RuleFor(r => r.Capabilities)
            .Must(c => c is null || c.Count <= MaxCapabilities).WithMessage($"capabilities may hold at most {MaxCapabilities} entries.")
            .Must(c => c is null || c.Distinct(StringComparer.Ordinal).Count() == c.Count).WithMessage("capabilities must not repeat.");
        RuleForEach(r => r.Capabilities).ValidCapability();
        RuleFor(r => r.Metadata)
            .Must(m => m is null || m.Count <= MaxMetadataEntries).WithMessage($"metadata may hold at most {MaxMetadataEntries} entries.")
            .Must(m => m is null || m.All(e => e.Key.Length is >= 1 and <= 64 && WorkerRules.IsStorableText(e.Key)))
            .WithMessage($"metadata keys must be 1–64 characters with {WorkerRules.StorableTextRule}.")
            .Must(m => m is null || m.All(e => e.Value is { Length: <= 512 } && WorkerRules.IsStorableText(e.Value)))
            .WithMessage($"metadata values must be strings of at most 512 characters with {WorkerRules.StorableTextRule}.");
    }
}

internal sealed class RegisterWorkerHandler(IWorkerRepository workers, ICaller caller, TimeProvider timeProvider)
    : IRequestHandler<RegisterWorker, Result<RegisteredWorker>>
{
    public async Task<Result<RegisteredWorker>> Handle(RegisterWorker request, CancellationToken cancellationToken)
    {
        var id = WorkerId.From(request.Id);
        var configuration = new WorkerConfiguration(
            request.Region,
            request.Capacity,
            request.Capabilities ?? [],
            request.Metadata ?? new Dictionary<string, string>());
        var token = WorkerToken.Issue();
        var worker = Worker.Register(id, configuration, timeProvider.GetStorableUtcNow(), token);
        return await workers.TryAddAsync(worker, caller.Name, cancellationToken)
            ? new RegisteredWorker(worker, token.Value)
            : new WorkerAlreadyExists(id);
    }
}
