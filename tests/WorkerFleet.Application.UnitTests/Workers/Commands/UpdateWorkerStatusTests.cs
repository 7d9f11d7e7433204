using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class UpdateWorkerStatusTests : ApplicationTest
{
    private static readonly WorkerId Id = WorkerId.From("worker-1");

    private static IEnumerable<TestCaseData> IllegalOperatorChanges() =>
        from source in Enum.GetValues<WorkerStatus>()
        from target in Enum.GetValues<WorkerStatus>()
        where source == WorkerStatus.Failed || target != WorkerStatus.Failed
        select new TestCaseData(source, target).SetArgDisplayNames(source.ToString(), target.ToString());

    [TestCase(WorkerStatus.Pending)]
    [TestCase(WorkerStatus.Active)]
    [TestCase(WorkerStatus.Offline)]
    public async Task An_operator_can_fail_a_pending_active_or_offline_worker(WorkerStatus status)
    {
        var before = await RegisterInAsync(Id.Value, status);

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed"));

        result.Value.Status.Should().Be(WorkerStatus.Failed);
        result.Value.Version.Should().Be(before.Version + 1);
        (await GetAsync(Id.Value)).Should().BeEquivalentTo(result.Value);
    }

    [TestCaseSource(nameof(IllegalOperatorChanges))]
    public async Task Any_other_operator_change_answers_InvalidStateTransition_and_changes_nothing(WorkerStatus from, WorkerStatus to)
    {
        var before = await RegisterInAsync(Id.Value, from);

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, to.ToString()));

        result.Error.Should().Be(new InvalidStateTransition(Id, from, to));
        (await GetAsync(Id.Value)).Should().BeEquivalentTo(before);
    }

    [TestCase("failed", "active")]
    [TestCase("FAILED", "ACTIVE")]
    [TestCase("Failed", "Active")]
    public async Task Status_names_are_accepted_in_any_case(string status, string expectedStatus)
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, status, expectedStatus));

        result.Value.Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task A_mismatched_expected_status_answers_StatusConflict_and_changes_nothing()
    {
        var before = await RegisterInAsync(Id.Value, WorkerStatus.Offline);

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed", ExpectedStatus: "Active"));

        result.Error.Should().Be(new StatusConflict(Id, WorkerStatus.Active, WorkerStatus.Offline));
        (await GetAsync(Id.Value)).Should().BeEquivalentTo(before);
    }

    [Test]
    public async Task The_expected_status_is_checked_before_the_transition_is()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Failed);

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed", ExpectedStatus: "Pending"));

        result.Error.Should().Be(new StatusConflict(Id, WorkerStatus.Pending, WorkerStatus.Failed));
    }

    [Test]
    public async Task Changing_the_status_of_an_unknown_worker_answers_WorkerNotFound()
    {
        var result = await SendAsync(new UpdateWorkerStatus("ghost", "Failed"));

        result.Error.Should().Be(new WorkerNotFound(WorkerId.From("ghost")));
    }

    [Test]
    public async Task A_change_that_loses_a_race_with_a_sweep_is_retried_on_the_fresh_status()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        Storage.BeforeStatusSave = async () =>
        {
            Storage.BeforeStatusSave = null;
            await SweepBehindTheOperatorsBackAsync();
        };

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed"));

        result.Value.Status.Should().Be(WorkerStatus.Failed);
        result.Value.Version.Should().Be(3);
        (await GetAsync(Id.Value)).Status.Should().Be(WorkerStatus.Failed);
    }

    [Test]
    public async Task A_race_that_moves_the_worker_away_from_the_expected_status_answers_StatusConflict()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        Storage.BeforeStatusSave = SweepBehindTheOperatorsBackAsync;

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed", ExpectedStatus: "Active"));

        result.Error.Should().Be(new StatusConflict(Id, WorkerStatus.Active, WorkerStatus.Offline));
        (await GetAsync(Id.Value)).Status.Should().Be(WorkerStatus.Offline);
    }

    [Test]
    public async Task The_retry_after_one_lost_race_checks_the_expected_status_again()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        Storage.BeforeStatusSave = async () =>
        {
            Storage.BeforeStatusSave = null;
            await SweepBehindTheOperatorsBackAsync();
        };

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed", ExpectedStatus: "Active"));

        // The retry would win its save: only the re-check of the expected status stops it failing an Offline worker.
        result.Error.Should().Be(new StatusConflict(Id, WorkerStatus.Active, WorkerStatus.Offline));
        (await GetAsync(Id.Value)).Status.Should().Be(WorkerStatus.Offline);
    }

    [Test]
    public async Task A_worker_unregistered_during_the_change_answers_WorkerNotFound()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        Storage.BeforeStatusSave = async () => await Storage.DirectlyAsync(s => s.RemoveAsync(Id, tokenHash: null, TestChange.Now, CancellationToken.None));

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed"));

        result.Error.Should().Be(new WorkerNotFound(Id));
    }

    [Test]
    public async Task When_every_retry_loses_the_race_the_conflict_names_the_status_last_read_and_the_one_found()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        Storage.BeforeStatusSave = SweepBehindTheOperatorsBackAsync;

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed"));

        // Attempts read Active, Offline, Active, Offline, Active; the last save finds the worker Offline.
        result.Error.Should().Be(new StatusConflict(Id, WorkerStatus.Active, WorkerStatus.Offline));
        (await GetAsync(Id.Value)).Status.Should().Be(WorkerStatus.Offline);
    }

    [Test]
    public async Task A_worker_unregistered_during_the_last_lost_race_answers_WorkerNotFound()
    {
        await RegisterInAsync(Id.Value, WorkerStatus.Active);
        var saves = 0;
        Storage.BeforeStatusSave = async () =>
        {
            await SweepBehindTheOperatorsBackAsync();
            if (++saves == 5)
            {
                await Storage.DirectlyAsync(s => s.RemoveAsync(Id, tokenHash: null, TestChange.Now, CancellationToken.None));
            }
        };

        var result = await SendAsync(new UpdateWorkerStatus(Id.Value, "Failed"));

        result.Error.Should().Be(new WorkerNotFound(Id));
    }

    /// <summary>A lifecycle sweep committing between the handler's read and its save: it flips the worker
    /// between Active and Offline.</summary>
    private async Task SweepBehindTheOperatorsBackAsync()
    {
        var worker = await Storage.DirectlyAsync(s => s.FindAsync(Id, CancellationToken.None));
        var (sweep, cutoff) = worker!.Status == WorkerStatus.Active
            ? (LifecycleSweep.StaleDetection, DateTimeOffset.MaxValue)
            : (LifecycleSweep.Reactivation, DateTimeOffset.MinValue);
        (await Storage.DirectlyAsync(s => s.ApplySweepAsync(sweep, cutoff, TestChange.Now, CancellationToken.None))).Should().Equal(Id);
    }
}
