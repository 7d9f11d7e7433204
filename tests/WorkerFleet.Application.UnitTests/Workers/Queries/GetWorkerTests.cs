using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Queries;

public class GetWorkerTests : ApplicationTest
{
    [Test]
    public async Task A_registered_worker_is_read_back_as_it_is_now()
    {
        var registered = await RegisterInAsync("worker-1", WorkerStatus.Active);

        var result = await SendAsync(new GetWorker("worker-1"));

        result.Value.Should().BeEquivalentTo(registered);
        result.Value.Status.Should().Be(WorkerStatus.Active);
        result.Value.LastHeartbeatAt.Should().Be(TestApplication.StartTime);
    }

    [Test]
    public async Task Reading_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new GetWorker("ghost"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }
}
