using WorkerFleet.Application.Events;
using WorkerFleet.Application.Events.Queries;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class SetWorkerSchedulableTests : ApplicationTest
{
    [Test]
    public async Task A_cordoned_worker_keeps_beating_and_moving_through_its_lifecycle_but_leaves_schedulable_selections()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");
        App.Caller.Name = "admin key";

        var cordoned = (await SendAsync(new SetWorkerSchedulable("worker-1", false, "  kernel upgrade  "))).Value;
        await HeartbeatAsync("worker-1");
        await HeartbeatAsync("worker-2");
        (await SendAsync(new ActivatePendingWorkers())).Value.Select(id => id.Value).Should().Equal("worker-1", "worker-2");

        cordoned.Should().Match<Worker>(w => !w.Schedulable && w.Status == WorkerStatus.Pending);
        (await GetAsync("worker-1")).Should().Match<Worker>(w => !w.Schedulable && w.Status == WorkerStatus.Active);
        (await ListAsync(new ListWorkers { Status = "active", Schedulable = true })).Should().Equal("worker-2");
        (await ListAsync(new ListWorkers { Schedulable = false })).Should().Equal("worker-1");
        var cordon = (await SendAsync(new GetWorkerEvents("worker-1"))).Value.Items.Should().Contain(e => e.Type == WorkerEventType.Cordoned).Subject;
        cordon.Should().Match<WorkerEvent>(e => e.Actor == "admin key" && e.Note == "kernel upgrade");
        cordon.Reason.Should().Be("Taken out of scheduling by admin key: kernel upgrade.");
    }

    [Test]
    public async Task Returning_a_worker_to_scheduling_is_journaled_and_asking_twice_changes_nothing_more()
    {
        await RegisterAsync("worker-1");

        (await SendAsync(new SetWorkerSchedulable("worker-1", false))).Value.Schedulable.Should().BeFalse();
        (await SendAsync(new SetWorkerSchedulable("worker-1", false, "again"))).Value.Schedulable.Should().BeFalse();
        (await SendAsync(new SetWorkerSchedulable("worker-1", true))).Value.Schedulable.Should().BeTrue();
        (await SendAsync(new SetWorkerSchedulable("worker-1", true))).Value.Schedulable.Should().BeTrue();

        var timeline = (await SendAsync(new GetWorkerEvents("worker-1"))).Value.Items;
        timeline.Select(e => e.Type).Should().Equal(WorkerEventType.Uncordoned, WorkerEventType.Cordoned, WorkerEventType.Registered);
        timeline[1].Note.Should().BeNull("a blank reason is no reason, and the repeated request changed nothing");
        timeline[0].Reason.Should().Be($"Returned to scheduling by {App.Caller.Name}.", "an event without a note says so in one sentence");
    }

    [Test]
    public async Task Cordoning_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new SetWorkerSchedulable("ghost", false));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [TestCase(null, "reason", "schedulable")]
    [TestCase(false, "line\nbreak", "reason")]
    public async Task A_request_without_a_decision_or_with_a_bad_reason_is_refused_and_changes_nothing(bool? schedulable, string reason, string field)
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new SetWorkerSchedulable("worker-1", schedulable, reason));

        result.Error.Should().BeOfType<InvalidConfiguration>().Which.Errors.Should().ContainKey(field);
        (await GetAsync("worker-1")).Schedulable.Should().BeTrue();
    }

    [Test]
    public async Task A_reason_longer_than_256_characters_is_refused()
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new SetWorkerSchedulable("worker-1", false, new string('r', 257)));

        result.Error.Should().BeOfType<InvalidConfiguration>().Which.Errors.Should().ContainKey("reason");
        (await SendAsync(new SetWorkerSchedulable("worker-1", false, new string('r', 256)))).IsSuccess.Should().BeTrue();
    }

    private async Task<IEnumerable<string>> ListAsync(ListWorkers query) =>
        (await SendAsync(query)).Value.Items.Select(w => w.Id.Value);
}
