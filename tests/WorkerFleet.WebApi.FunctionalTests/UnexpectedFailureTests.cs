using System.Net;
using MediatR;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A failure nobody planned for is a 500 problem that says nothing of the server: not the exception's type,
/// message or stack, nor anything of the storage behind it.</summary>
public class UnexpectedFailureTests
{
    private const string Secret = "Npgsql connection Host=10.1.2.3;Password=hunter2 at WorkerFleet.Infrastructure.Secret";

    [Test]
    public async Task An_unexpected_exception_is_a_500_problem_that_reveals_no_internals()
    {
        using var api = new WorkerFleetApi();
        using var exploding = api.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddTransient<IPipelineBehavior<GetWorker, Result<Worker>>, Exploding>()));
        using var client = exploding.CreateDefaultClient(new Credentials());

        var response = await client.GetAsync("/workers/alpha");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError, "unexpected");
        problem.GetRawText().Should().NotContainAny("hunter2", "10.1.2.3", "Npgsql", "InvalidOperationException", "WorkerFleet.", " at ");
        problem.GetProperty("traceId").GetString().Should().NotBeNullOrEmpty("the trace id is what an operator looks the failure up by");
    }

    private sealed class Exploding : IPipelineBehavior<GetWorker, Result<Worker>>
    {
        public Task<Result<Worker>> Handle(GetWorker request, CancellationToken cancellationToken, RequestHandlerDelegate<Result<Worker>> next) =>
            throw new InvalidOperationException(Secret);
    }
}
