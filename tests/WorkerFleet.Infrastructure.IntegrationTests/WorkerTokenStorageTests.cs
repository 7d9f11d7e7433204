using Microsoft.EntityFrameworkCore;
using WorkerFleet.Application.Common.Abstractions;
using WorkerFleet.Domain.Workers;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.Infrastructure.IntegrationTests;

public class WorkerTokenStorageTests(StorageProvider provider) : StorageTestBase(provider)
{
    [Test]
    public async Task Only_the_hash_of_a_token_is_stored_and_it_finds_its_worker()
    {
        await RegisterAsync("worker-1", "worker-2");

        var stored = await Database(db => db.Workers.Select(w => w.TokenHash).ToListAsync());
        var found = await Workers(w => w.FindByTokenHashAsync(TokenFor("worker-2").Hash, CancellationToken.None));

        stored.Should().BeEquivalentTo([TokenFor("worker-1").Hash, TokenFor("worker-2").Hash]);
        stored.Should().NotContain(TokenFor("worker-1").Value);
        found.Should().Be(WorkerId.From("worker-2"));
        (await Workers(w => w.FindByTokenHashAsync(WorkerToken.Issue().Hash, CancellationToken.None))).Should().BeNull();
    }

    [Test]
    public async Task The_token_holders_come_most_recent_heartbeat_first_those_that_never_sent_one_last_and_no_more_than_asked()
    {
        await RegisterAsync("silent", "early", "late", "rotated");
        await Heartbeats(h => h.RecordAsync(WorkerId.From("early"), TokenFor("early").Hash, Now, 100, CancellationToken.None));
        await Heartbeats(h => h.RecordAsync(WorkerId.From("late"), TokenFor("late").Hash, Now.AddSeconds(2), 100, CancellationToken.None));
        await Heartbeats(h => h.RecordAsync(WorkerId.From("rotated"), TokenFor("rotated").Hash, Now.AddSeconds(1), 100, CancellationToken.None));
        var current = WorkerToken.Issue();
        await Workers(w => w.TryReplaceTokenAsync(WorkerId.From("rotated"), current.Hash, TestChange.Now, CancellationToken.None));

        var all = await Workers(w => w.ListTokenHoldersAsync(10, CancellationToken.None));
        var two = await Workers(w => w.ListTokenHoldersAsync(2, CancellationToken.None));

        all.Should().Equal(
            new TokenHolder(TokenFor("late").Hash, WorkerId.From("late")),
            new TokenHolder(current.Hash, WorkerId.From("rotated")),
            new TokenHolder(TokenFor("early").Hash, WorkerId.From("early")),
            new TokenHolder(TokenFor("silent").Hash, WorkerId.From("silent")));
        two.Should().Equal(all.Take(2));
    }

    [Test]
    public async Task A_heartbeat_with_another_token_records_nothing()
    {
        await RegisterAsync("worker-1", "worker-2");

        var status = await Heartbeats(h => h.RecordAsync(
            WorkerId.From("worker-1"), TokenFor("worker-2").Hash, Now, 100, CancellationToken.None));

        status.Should().BeNull();
        var worker = await FindAsync("worker-1");
        worker.LastHeartbeatAt.Should().BeNull();
        worker.HeartbeatsRecorded.Should().Be(0);
        (await Database(db => db.Heartbeats.CountAsync())).Should().Be(0);
    }

    [Test]
    public async Task After_a_rotation_the_old_token_records_nothing_and_the_new_one_does()
    {
        await RegisterAsync("worker-1");
        var oldToken = TokenFor("worker-1");
        var newToken = WorkerToken.Issue();

        (await Workers(w => w.TryReplaceTokenAsync(WorkerId.From("worker-1"), newToken.Hash, TestChange.Now, CancellationToken.None))).Should().BeTrue();

        (await Heartbeats(h => h.RecordAsync(WorkerId.From("worker-1"), oldToken.Hash, Now, 100, CancellationToken.None))).Should().BeNull();
        (await Heartbeats(h => h.RecordAsync(WorkerId.From("worker-1"), newToken.Hash, Now, 100, CancellationToken.None)))
            .Should().Be(WorkerStatus.Pending);
        (await Workers(w => w.FindByTokenHashAsync(oldToken.Hash, CancellationToken.None))).Should().BeNull();
        (await Workers(w => w.TryReplaceTokenAsync(WorkerId.From("ghost"), newToken.Hash, TestChange.Now, CancellationToken.None))).Should().BeFalse();
    }

    [Test]
    public async Task A_worker_removes_itself_only_with_its_current_token()
    {
        await RegisterAsync("worker-1", "worker-2");

        (await Workers(w => w.RemoveAsync(WorkerId.From("worker-1"), TokenFor("worker-2").Hash, TestChange.Now, CancellationToken.None))).Should().BeFalse();
        (await FindAsync("worker-1")).Should().NotBeNull();

        (await Workers(w => w.RemoveAsync(WorkerId.From("worker-1"), TokenFor("worker-1").Hash, TestChange.Now, CancellationToken.None))).Should().BeTrue();
        (await Workers(w => w.FindAsync(WorkerId.From("worker-1"), CancellationToken.None))).Should().BeNull();
    }

    [Test]
    public async Task A_status_change_keeps_the_current_token()
    {
        await RegisterAsync("worker-1");
        var worker = await FindAsync("worker-1");
        var rotated = WorkerToken.Issue();
        await Workers(w => w.TryReplaceTokenAsync(worker.Id, rotated.Hash, TestChange.Now, CancellationToken.None));

        worker.TransitionTo(WorkerStatus.Failed, TransitionTrigger.Operator);
        await Workers(w => w.TrySaveStatusAsync(worker, expectedVersion: 0, WorkerStatus.Pending, TestChange.Now, CancellationToken.None));

        (await FindAsync("worker-1")).TokenHash.Should().Be(rotated.Hash);
    }
}
