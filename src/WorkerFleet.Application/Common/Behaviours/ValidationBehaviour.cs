using System.Text.Json;
using FluentValidation;
using MediatR;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.Common.Behaviours;

/// <summary>Runs every validator of the request and answers <see cref="InvalidConfiguration"/> without calling
/// the handler when any rule fails, so handlers only ever see valid requests.</summary>
internal sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
    where TResponse : IFailable<TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(request, cancellationToken);
            failures.AddRange(result.Errors);
        }

        if (failures.Count == 0)
        {
            return await next();
        }

        // Field errors are keyed by the names the JSON serializer gives the fields (camelCase), as clients spell them.
        var errors = failures
            .GroupBy(f => JsonNamingPolicy.CamelCase.ConvertName(f.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray(), StringComparer.Ordinal);
        return TResponse.Failure(new InvalidConfiguration(errors));
    }
}
