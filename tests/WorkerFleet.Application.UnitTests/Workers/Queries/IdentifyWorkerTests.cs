using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Queries;

public class IdentifyWorkerTests : ApplicationTest
{
    [Test]
    public async Task A_current_token_identifies_the_worker_it_was_issued_to()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");

        (await SendAsync(new IdentifyWorker(TokenOf("worker-1")))).Value.Should().Be(WorkerId.From("worker-1"));
        (await SendAsync(new IdentifyWorker(TokenOf("worker-2")))).Value.Should().Be(WorkerId.From("worker-2"));
    }

    [Test]
    public async Task A_rotated_token_identifies_its_worker_and_the_rotated_out_one_answers_InvalidWorkerToken()
    {
        await RegisterAsync("worker-1");
        var old = TokenOf("worker-1");

        var current = await RotateTokenAsync("worker-1");

        (await SendAsync(new IdentifyWorker(current))).Value.Should().Be(WorkerId.From("worker-1"));
        (await SendAsync(new IdentifyWorker(old))).Error.Should().Be(new InvalidWorkerToken());
    }

    [Test]
    public async Task A_token_never_issued_answers_InvalidWorkerToken()
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new IdentifyWorker(UnissuedToken));

        result.Error.Should().Be(new InvalidWorkerToken());
    }

    [Test]
    public async Task The_token_of_an_unregistered_worker_answers_InvalidWorkerToken()
    {
        await RegisterAsync("worker-1");
        await SendAsync(new UnregisterWorker("worker-1"));

        var result = await SendAsync(new IdentifyWorker(TokenOf("worker-1")));

        result.Error.Should().Be(new InvalidWorkerToken());
    }
}
