using MediatR;
using WorkerFleet.Application.Common;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>A use case request of any result type, for tables that send many kinds of requests; it answers the error.</summary>
public sealed record SentRequest(string Name, Func<TestApplication, Task<WorkerError?>> SendAsync)
{
    public static SentRequest Of<T>(IRequest<Result<T>> request) =>
        new(request.ToString()!, async app => (await app.SendAsync(request)).Error);

    public override string ToString() => Name;
}
