using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class RotateWorkerTokenTests : ApplicationTest
{
    private static readonly WorkerId Id = WorkerId.From("worker-1");

    [Test]
    public async Task Rotation_issues_a_new_token_of_which_only_the_hash_is_stored()
    {
        await RegisterAsync(Id.Value);
        var old = TokenOf(Id.Value);

        var issued = (await SendAsync(new RotateWorkerToken(Id.Value))).Value;

        issued.WorkerId.Should().Be(Id);
        WorkerToken.LooksLikeToken(issued.Token).Should().BeTrue();
        issued.Token.Should().NotBe(old);
        (await GetAsync(Id.Value)).TokenHash.Should().Be(WorkerToken.HashOf(issued.Token));
    }

    [Test]
    public async Task Heartbeats_with_the_new_token_are_recorded()
    {
        await RegisterAsync(Id.Value);
        var token = await RotateTokenAsync(Id.Value);
        Clock.Advance(TimeSpan.FromSeconds(3));

        var result = await SendAsync(new RecordHeartbeat(Id.Value, token));

        result.Value.Should().Be(new HeartbeatReceipt(Id, TestApplication.StartTime.AddSeconds(3), WorkerStatus.Pending, NextHeartbeatIn: TimeSpan.FromSeconds(40)));
        (await SendAsync(new GetHeartbeatHistory(Id.Value))).Value.Heartbeats.Should().Equal(result.Value.ReceivedAt);
    }

    [Test]
    public async Task The_old_token_is_refused_right_after_rotation_and_records_nothing()
    {
        await RegisterAsync(Id.Value);
        var old = TokenOf(Id.Value);
        await HeartbeatAsync(Id.Value);
        await RotateTokenAsync(Id.Value);
        var before = await SnapshotFleetAsync();
        Clock.Advance(TimeSpan.FromSeconds(1));

        var result = await SendAsync(new RecordHeartbeat(Id.Value, old));

        result.Error.Should().Be(new InvalidWorkerToken());
        (await SnapshotFleetAsync()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Test]
    public async Task Rotation_changes_nothing_but_the_token()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        var before = (await SnapshotFleetAsync()).Single();

        var token = await RotateTokenAsync(Id.Value);

        var after = (await SnapshotFleetAsync()).Single();
        after.Should().BeEquivalentTo(before, o => o.Excluding(s => s.Worker.TokenHash));
        after.Worker.TokenHash.Should().Be(WorkerToken.HashOf(token));
    }

    [Test]
    public async Task Rotating_one_workers_token_leaves_the_other_workers_tokens_working()
    {
        await RegisterAsync(Id.Value);
        await RegisterAsync("worker-2");

        await RotateTokenAsync(Id.Value);

        (await SendAsync(new RecordHeartbeat("worker-2", TokenOf("worker-2")))).IsSuccess.Should().BeTrue();
        (await SendAsync(new IdentifyWorker(TokenOf("worker-2")))).Value.Should().Be(WorkerId.From("worker-2"));
    }

    [Test]
    public async Task A_status_change_racing_a_rotation_keeps_the_new_token()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        var old = TokenOf(Id.Value);
        Storage.BeforeStatusSave = async () =>
        {
            Storage.BeforeStatusSave = null;
            await RotateTokenAsync(Id.Value);
        };

        (await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed"))).Value.Status.Should().Be(WorkerStatus.Failed);

        (await SendAsync(new IdentifyWorker(TokenOf(Id.Value)))).Value.Should().Be(Id);
        (await SendAsync(new IdentifyWorker(old))).Error.Should().Be(new InvalidWorkerToken());
    }

    [Test]
    public async Task A_worker_stored_before_tokens_existed_is_refused_heartbeats_until_its_token_is_rotated()
    {
        var configuration = new WorkerConfiguration("us-east-1", 10, [], new Dictionary<string, string>());
        var legacy = Worker.Restore(Id, configuration, WorkerStatus.Active, TestApplication.StartTime, TestApplication.StartTime,
            heartbeatsRecorded: 1, version: 1, tokenHash: null, schedulable: true);
        (await Storage.DirectlyAsync(s => s.TryAddAsync(legacy, "test", CancellationToken.None))).Should().BeTrue();

        (await SendAsync(new RecordHeartbeat(Id.Value, UnissuedToken))).Error.Should().Be(new InvalidWorkerToken());
        var token = await RotateTokenAsync(Id.Value);

        (await SendAsync(new RecordHeartbeat(Id.Value, token))).Value.Status.Should().Be(WorkerStatus.Active);
        (await SendAsync(new IdentifyWorker(token))).Value.Should().Be(Id);
    }

    [Test]
    public async Task Rotating_the_token_of_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new RotateWorkerToken("ghost"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }
}
