using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Queries;

public class WorkerCountsTests : ApplicationTest
{
    [Test]
    public async Task Counts_are_the_workers_in_each_status_and_their_total()
    {
        WorkerStatus[] statuses =
        [
            WorkerStatus.Offline,
            WorkerStatus.Active, WorkerStatus.Active,
            WorkerStatus.Pending, WorkerStatus.Pending, WorkerStatus.Pending,
            WorkerStatus.Failed,
        ];
        for (var i = 0; i < statuses.Length; i++)
        {
            await RegisterInAsync($"worker-{i}", statuses[i]);
        }

        var counts = (await SendAsync(new GetWorkerCounts())).Value;

        counts.Should().Be(new WorkerCounts(Pending: 3, Active: 2, Offline: 1, Failed: 1));
        counts.Total.Should().Be(7);
    }

    [Test]
    public async Task An_empty_fleet_counts_zero_in_every_status()
    {
        var counts = (await SendAsync(new GetWorkerCounts())).Value;

        counts.Should().Be(new WorkerCounts(0, 0, 0, 0));
        counts.Total.Should().Be(0);
    }
}
