using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>Group commit of registrations: what one batch writes.</summary>
public class RegistrationBatchTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task One_batch_admits_each_free_id_once_and_refuses_the_taken_ones()
    {
        await RegisterAsync("worker-0");
        var batch = new[] { NewWorker("worker-1"), NewWorker("worker-0"), NewWorker("worker-1", Now.AddDays(1)), NewWorker("worker-2") };

        var added = await Database(db => Storage.Services.GetRequiredService<IBatchWriter<Worker, bool>>().WriteAsync(db, batch, CancellationToken.None));

        added.Should().Equal(true, false, false, true);
        (await FindAsync("worker-1")).RegisteredAt.Should().Be(Now, "the first registration in the batch is the one kept");
        (await FindAsync("worker-2")).Configuration.Should().BeEquivalentTo(batch[3].Configuration);
        (await Database(db => db.Workers.CountAsync())).Should().Be(3);
    }

    [Test]
    public async Task Concurrent_registrations_of_distinct_ids_are_all_stored()
    {
        var ids = Enumerable.Range(1, 200).Select(i => $"worker-{i}").ToArray();

        var added = await Task.WhenAll(ids.Select(id => Workers(w => w.TryAddAsync(NewWorker(id), CancellationToken.None))));

        added.Should().OnlyContain(a => a);
        (await Database(db => db.Workers.Select(w => w.Id).ToListAsync())).Should().BeEquivalentTo(ids);
    }
}
