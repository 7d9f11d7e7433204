using System.Text.Json;
using WorkerFleet.Application.UnitTests.Testing;
using WorkerFleet.Application.Workers.Commands;
using WorkerFleet.Application.Workers.Queries;
using WorkerFleet.Domain.Workers;

namespace WorkerFleet.Application.UnitTests.Workers.Commands;

public class RegisterWorkerTests : ApplicationTest
{
    [Test]
    public async Task A_registered_worker_starts_pending_with_its_configuration_at_the_clock_time()
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        var metadata = new Dictionary<string, string> { ["datacenter"] = "dc-1" };

        var result = await SendAsync(new RegisterWorker("worker-1", "us-east-1", 10, ["compute", "storage"], metadata));

        var worker = result.Value.Worker;
        worker.Id.Should().Be(WorkerId.From("worker-1"));
        worker.Status.Should().Be(WorkerStatus.Pending);
        worker.RegisteredAt.Should().Be(TestApplication.StartTime.AddMinutes(5));
        worker.LastHeartbeatAt.Should().BeNull();
        worker.Configuration.Region.Should().Be("us-east-1");
        worker.Configuration.Capacity.Should().Be(10);
        worker.Configuration.Capabilities.Should().Equal("compute", "storage");
        worker.Configuration.Metadata.Should().Equal(metadata);
        (await GetAsync("worker-1")).Should().BeEquivalentTo(worker);
    }

    [Test]
    public async Task A_registration_without_capabilities_or_metadata_stores_empty_ones()
    {
        var worker = await RegisterAsync("worker-1");

        worker.Configuration.Capabilities.Should().BeEmpty();
        worker.Configuration.Metadata.Should().BeEmpty();
    }

    [Test]
    public async Task Registering_a_taken_id_answers_WorkerAlreadyExists_and_keeps_the_first_registration()
    {
        await RegisterAsync("worker-1");

        var result = await SendAsync(new RegisterWorker("worker-1", "eu-west-1", 99));

        result.Error.Should().Be(new WorkerAlreadyExists(WorkerId.From("worker-1")));
        (await GetAsync("worker-1")).Configuration.Region.Should().Be("us-east-1");
    }

    [Test]
    public async Task A_failed_worker_comes_back_by_unregistering_and_registering_again()
    {
        await RegisterInAsync("worker-1", WorkerStatus.Failed);

        (await SendAsync(new RegisterWorker("worker-1", "us-east-1", 10))).Error.Should().BeOfType<WorkerAlreadyExists>();
        (await SendAsync(new UnregisterWorker("worker-1"))).IsSuccess.Should().BeTrue();
        var again = await SendAsync(new RegisterWorker("worker-1", "us-east-1", 10));

        again.Value.Worker.Status.Should().Be(WorkerStatus.Pending);
    }

    [Test]
    public async Task A_registration_answers_a_worker_token_of_which_only_the_hash_is_stored()
    {
        var registered = (await SendAsync(new RegisterWorker("worker-1", "us-east-1", 10))).Value;

        WorkerToken.LooksLikeToken(registered.Token).Should().BeTrue();
        registered.Worker.TokenHash.Should().Be(WorkerToken.HashOf(registered.Token));
        var stored = await Storage.DirectlyAsync(s => s.FindAsync(WorkerId.From("worker-1"), CancellationToken.None));
        stored!.TokenHash.Should().Be(WorkerToken.HashOf(registered.Token));
        JsonSerializer.Serialize(stored).Should().NotContain(registered.Token);
    }

    [Test]
    public async Task Every_registration_issues_a_different_token()
    {
        await RegisterAsync("worker-1");
        await RegisterAsync("worker-2");

        TokenOf("worker-1").Should().NotBe(TokenOf("worker-2"));
        (await GetAsync("worker-1")).TokenHash.Should().NotBe((await GetAsync("worker-2")).TokenHash);
    }

    [Test]
    public async Task Registering_again_after_unregistering_issues_a_new_token_and_the_old_one_identifies_nobody()
    {
        await RegisterAsync("worker-1");
        var old = TokenOf("worker-1");
        await SendAsync(new UnregisterWorker("worker-1"));

        await RegisterAsync("worker-1");

        TokenOf("worker-1").Should().NotBe(old);
        (await SendAsync(new IdentifyWorker(old))).Error.Should().Be(new InvalidWorkerToken());
        (await SendAsync(new RecordHeartbeat("worker-1", old))).Error.Should().Be(new InvalidWorkerToken());
    }
}
