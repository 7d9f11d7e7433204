using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;
using WorkerFleet.Infrastructure.Persistence.Registrations;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>Group commit of registrations: what one batch writes.</summary>
public class RegistrationBatchTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task One_batch_admits_each_free_id_once_and_refuses_the_taken_ones()
    {
        await RegisterAsync("worker-0");
        var batch = new[] { NewWorker("worker-1"), NewWorker("worker-0"), NewWorker("worker-1", Now.AddDays(1)), NewWorker("worker-2") };

        var added = await Database(db => WriteBatchAsync(db, batch));

        added.Should().Equal(true, false, false, true);
        (await FindAsync("worker-1")).RegisteredAt.Should().Be(Now, "the first registration in the batch is the one kept");
        (await FindAsync("worker-2")).Configuration.Should().BeEquivalentTo(batch[3].Configuration);
        (await Database(db => db.Workers.CountAsync())).Should().Be(3);
    }

    [Test]
    public async Task A_batch_that_fails_writes_none_of_its_workers_and_the_batch_after_it_is_written()
    {
        (await Database(db => WriteBatchAsync(db, [NewWorker("worker-1")]))).Should().Equal(true);
        await Database(db => db.Database.ExecuteSqlRawAsync(Provider == StorageProvider.Sqlite
            ? "CREATE TRIGGER refuse BEFORE INSERT ON workers WHEN NEW.id = 'worker-refused' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            : """
              CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
              BEGIN IF NEW.id = 'worker-refused' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$;
              CREATE TRIGGER refuse BEFORE INSERT ON workers FOR EACH ROW EXECUTE FUNCTION refuse();
              """));

        var failing = () => Database(db => WriteBatchAsync(db, [NewWorker("worker-2"), NewWorker("worker-refused")]));

        await failing.Should().ThrowAsync<DbException>().WithMessage("*refused*");
        await Database(db => db.Database.ExecuteSqlRawAsync(
            Provider == StorageProvider.Sqlite ? "DROP TRIGGER refuse" : "DROP TRIGGER refuse ON workers; DROP FUNCTION refuse()"));
        (await Database(db => WriteBatchAsync(db, [NewWorker("worker-2"), NewWorker("worker-3")]))).Should().Equal(true, true);
        (await Database(db => db.WorkerEvents.OrderBy(e => e.Sequence).Select(e => e.WorkerId).ToListAsync()))
            .Should().Equal(["worker-1", "worker-2", "worker-3"], "the failed batch journaled nothing either");
        (await Database(db => db.Workers.OrderBy(w => w.Id).Select(w => w.Id).ToListAsync())).Should().Equal("worker-1", "worker-2", "worker-3");
    }

    [Test]
    public async Task Concurrent_registrations_of_distinct_ids_are_all_stored()
    {
        var ids = Enumerable.Range(1, 200).Select(i => $"worker-{i}").ToArray();

        var added = await Task.WhenAll(ids.Select(id => Workers(w => w.TryAddAsync(NewWorker(id), "test", CancellationToken.None))));

        added.Should().OnlyContain(a => a);
        (await Database(db => db.Workers.Select(w => w.Id).ToListAsync())).Should().BeEquivalentTo(ids);
    }

    [Test]
    public async Task A_batch_stores_every_field_as_it_reads_it_back_whatever_the_text()
    {
        var batch = new[]
        {
            Worker.Register(
                WorkerId.From("worker-unusual"),
                new WorkerConfiguration("eu-west-1", 64, ["gpu", "quote\"d", "back\\slash", "ünïcødé", "日本", "🚀"],
                    new Dictionary<string, string> { ["rack"] = "A'1", ["ключ"] = "значение", ["json"] = "{\"nested\":[1]}", ["empty"] = "" }),
                Now,
                WorkerToken.Issue()),
            Worker.Register(WorkerId.From("worker-bare"), new WorkerConfiguration("r", 1, [], new Dictionary<string, string>()), Now, WorkerToken.Issue()),
        };

        var added = await Database(db => WriteBatchAsync(db, batch));

        added.Should().Equal(true, true);
        foreach (var worker in batch)
        {
            (await FindAsync(worker.Id.Value)).Should().BeEquivalentTo(worker);
        }
    }

    [Test]
    public async Task Two_instances_registering_the_same_ids_at_once_admit_each_id_exactly_once()
    {
        await using var other = Storage.NewInstance();
        var ids = Enumerable.Range(1, 100).Select(i => $"worker-{i}").ToArray();

        var attempts = ids.SelectMany(id => new[] { Storage.Services, other }.Select(async instance =>
        {
            await using var scope = instance.CreateAsyncScope();
            return (Id: id, Added: await scope.ServiceProvider.GetRequiredService<IWorkerRepository>().TryAddAsync(NewWorker(id), "test", CancellationToken.None));
        }));
        var answers = await Task.WhenAll(attempts);

        answers.Where(a => a.Added).Select(a => a.Id).Should().BeEquivalentTo(ids, "each id is admitted once, by one of the instances");
        (await Database(db => db.Workers.CountAsync())).Should().Be(ids.Length);
    }

    [Test]
    public async Task An_instance_that_registered_and_heartbeat_can_be_disposed_synchronously()
    {
        var instance = Storage.NewInstance();
        await using (var scope = instance.CreateAsyncScope())
        {
            (await scope.ServiceProvider.GetRequiredService<IWorkerRepository>()
                .TryAddAsync(NewWorker("worker-1", token: TokenFor("worker-1")), "test", CancellationToken.None)).Should().BeTrue();
            (await scope.ServiceProvider.GetRequiredService<IHeartbeatStore>()
                .RecordAsync(WorkerId.From("worker-1"), TokenFor("worker-1").Hash, Now, 10, CancellationToken.None)).Should().Be(WorkerStatus.Pending);
        }

        instance.Invoking(i => i.Dispose()).Should().NotThrow("a host without async disposal disposes its services so");
        (await FindAsync("worker-1")).HeartbeatsRecorded.Should().Be(1);
    }

    private Task<IReadOnlyList<bool>> WriteBatchAsync(WorkerFleetDbContext db, IEnumerable<Worker> batch) =>
        Storage.Services.GetRequiredService<IBatchWriter<NewRegistration, bool>>()
            .WriteAsync(db, [.. batch.Select(w => new NewRegistration(w, "test"))], CancellationToken.None);
}
