using FluentValidation;
using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Workers.Queries;

/// <summary>Which worker a presented token belongs to; <see cref="InvalidWorkerToken"/> when none's current token.</summary>
/// <param name="Token">The presented token.</param>
public sealed record IdentifyWorker(string Token) : IRequest<Result<WorkerId>>
{
    // The other token carriers redact in PrintMembers; this record's only member is the token, so it has nothing else
    // to print and replaces ToString whole.

    /// <summary>Never the token: anything that prints this request (a log line, a debugger) shows only its shape.</summary>
    /// <returns>The request with the token redacted.</returns>
    public override string ToString() => $"{nameof(IdentifyWorker)} {{ Token = {WorkerToken.Redacted} }}";
}

internal sealed class IdentifyWorkerValidator : AbstractValidator<IdentifyWorker>
{
    public IdentifyWorkerValidator() => RuleFor(r => r.Token).ValidTokenShape();
}

internal sealed class IdentifyWorkerHandler(IWorkerRepository workers) : IRequestHandler<IdentifyWorker, Result<WorkerId>>
{
    public async Task<Result<WorkerId>> Handle(IdentifyWorker request, CancellationToken cancellationToken) =>
        await workers.FindByTokenHashAsync(WorkerToken.HashOf(request.Token), cancellationToken) is { } id
            ? id
            : new InvalidWorkerToken();
}
