using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using WorkerFleet.Client.Agent;
using WorkerFleet.Client.Tests.Testing;
using static WorkerFleet.Client.Tests.Testing.AgentHarness;

namespace WorkerFleet.Client.Tests;

[CancelAfter(30_000)]
public class AgentTests
{
    private const string Token = "wft_first-token-of-gpu-7-0123456789abcdefghij";
    private const string NewToken = "wft_second-token-of-gpu-7-0123456789abcdefgh";
    private static readonly TimeSpan MaximumBackoff = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_worker_without_a_token_registers_then_heartbeats_at_the_pace_the_service_sets()
    {
        await using var agent = new AgentHarness(options =>
        {
            options.RegistrationKey = RegistrationKey;
            options.Capabilities.Add("compute");
            options.Metadata["rack"] = "r7";
        });
        agent.Service.Answer(
            Answers.Registered(WorkerId, Token),
            Answers.Heartbeat(WorkerId, Start.AddSeconds(0.5), nextInSeconds: 5),
            Answers.Heartbeat(WorkerId, Start.AddSeconds(5.5), nextInSeconds: 7.25));
        await agent.StartAsync();

        var registration = await agent.Service.NextRequestAsync();
        registration.Should().BeEquivalentTo(new { PathAndQuery = "/workers", Bearer = RegistrationKey, At = Start });
        registration.Method.Should().Be(HttpMethod.Post);
        JsonDocument.Parse(registration.Body!).RootElement.ToString().Should().Be(
            """{"id":"gpu-7","region":"eu-west-1","capacity":4,"capabilities":["compute"],"metadata":{"rack":"r7"}}""");

        (await agent.ElapseNextWaitAsync()).Should().Be(TimeSpan.FromSeconds(0.5), "the first beat waits a random part of the minimum backoff");
        var first = await agent.Service.NextRequestAsync();
        first.Should().BeEquivalentTo(new { PathAndQuery = "/workers/gpu-7/heartbeat", Bearer = Token, Body = (string?)null, At = Start.AddSeconds(0.5) });
        (await agent.ElapseNextWaitAsync()).Should().Be(TimeSpan.FromSeconds(5), "after a heartbeat the agent waits what the service said");
        (await agent.Service.NextRequestAsync()).At.Should().Be(Start.AddSeconds(5.5));
        (await agent.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(7.25));

        agent.Status.Should().BeEquivalentTo(new
        {
            WorkerId,
            State = WorkerFleetAgentState.Heartbeating,
            LastHeartbeatAt = (DateTimeOffset?)Start.AddSeconds(5.5),
            WorkerStatus = (WorkerStatus?)WorkerStatus.Pending,
            LastError = (string?)null,
        });
        (await agent.HealthAsync()).Status.Should().Be(HealthStatus.Healthy);
        (await agent.Store.ReadAsync(CancellationToken.None)).Should().Be(new WorkerToken(Token));
        agent.Logs.Text.Should().NotContain(Token).And.NotContain(RegistrationKey);
    }

    [Test]
    public async Task A_worker_given_a_token_heartbeats_with_it_and_never_registers()
    {
        await using var agent = new AgentHarness(options => options.Token = Token);
        agent.Service.Answer(Answers.Heartbeat(WorkerId, Start, nextInSeconds: 3));
        await agent.StartAsync();

        await agent.ElapseNextWaitAsync();
        (await agent.Service.NextRequestAsync()).Should().BeEquivalentTo(new { PathAndQuery = "/workers/gpu-7/heartbeat", Bearer = Token });
        (await agent.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(3));
        agent.Service.Requests.Should().ContainSingle();
    }

    [Test]
    public async Task Health_is_degraded_until_the_service_has_accepted_a_heartbeat()
    {
        await using var agent = new AgentHarness(options => options.Token = Token);
        await agent.StartAsync();

        await agent.ElapseNextWaitAsync();
        await agent.Service.NextRequestAsync();

        agent.Status.State.Should().Be(WorkerFleetAgentState.Starting);
        (await agent.HealthAsync()).Status.Should().Be(HealthStatus.Degraded);
    }

    [Test]
    public async Task Backoff_doubles_per_failure_up_to_the_maximum_and_starts_over_after_a_success()
    {
        await using var agent = new AgentHarness(options => options.Token = Token, random: 1);
        agent.Service
            .Throw(new HttpRequestException("Connection refused (127.0.0.1:5080)"))
            .Throw(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 10 seconds elapsing.", new TimeoutException()))
            .Answer(
                Answers.Problem(HttpStatusCode.InternalServerError, ProblemTypes.Unexpected),
                Answers.Problem(HttpStatusCode.BadGateway, "about:blank"),
                new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))
            .Throw(new HttpRequestException("Connection refused (127.0.0.1:5080)"))
            .Throw(new HttpRequestException("Connection refused (127.0.0.1:5080)"))
            .Answer(Answers.Heartbeat(WorkerId, Start, nextInSeconds: 10))
            .Throw(new HttpRequestException("Connection refused (127.0.0.1:5080)"));
        await agent.StartAsync();

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 9; i++)
        {
            var wait = await agent.NextWaitAsync();
            waits.Add(wait);
            if (i == 3)
            {
                agent.Status.State.Should().Be(WorkerFleetAgentState.BackingOff);
                agent.Status.LastError.Should().Contain("500").And.Contain(ProblemTypes.Unexpected);
                var health = await agent.HealthAsync();
                health.Status.Should().Be(HealthStatus.Degraded);
                health.Description.Should().Contain(ProblemTypes.Unexpected);
            }

            agent.Time.Advance(wait);
            await agent.Service.NextRequestAsync();
        }

        waits.Add(await agent.NextWaitAsync());

        waits.Select(w => w.TotalSeconds).Should().Equal(
            [1, 1, 2, 4, 8, 16, 30, 30, 10, 1],
            "the first beat's jitter, seven failures, the service's pace after the success, then the first failure again");
        agent.Status.State.Should().Be(WorkerFleetAgentState.BackingOff);
        agent.Service.Requests.Should().OnlyContain(r => r.Bearer == Token && r.PathAndQuery == "/workers/gpu-7/heartbeat");
        agent.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.EventId.Id == 5).Should().HaveCount(2, "a warning when the service is lost, not one per retry");
    }

    [Test]
    public async Task Each_backoff_is_drawn_at_random_between_the_minimum_and_its_cap()
    {
        await using var agent = new AgentHarness(options => options.Token = Token, random: 0.5);
        for (var i = 0; i < 4; i++)
        {
            agent.Service.Throw(new HttpRequestException("Connection refused"));
        }

        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            await agent.Service.NextRequestAsync();
            waits.Add(await agent.ElapseNextWaitAsync());
        }

        waits.Select(w => w.TotalSeconds).Should().Equal(1, 1.5, 2.5, 4.5);
    }

    [Test]
    public async Task A_retry_after_is_waited_as_told_and_does_not_escalate_the_backoff()
    {
        await using var agent = new AgentHarness(options => options.Token = Token, random: 1);
        agent.Service
            .Answer(
                Answers.Problem(HttpStatusCode.TooManyRequests, ProblemTypes.TooManyHeartbeats, retryAfter: TimeSpan.FromSeconds(7)),
                Answers.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageUnavailable, retryAfter: TimeSpan.FromSeconds(5)),
                Answers.Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.StorageUnavailable, retryAfter: TimeSpan.FromSeconds(5)))
            .Throw(new HttpRequestException("Connection refused"));
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();

        await agent.Service.NextRequestAsync();
        var throttled = await agent.NextWaitAsync();
        throttled.Should().Be(TimeSpan.FromSeconds(7));
        agent.Status.State.Should().Be(WorkerFleetAgentState.BackingOff);
        agent.Status.LastError.Should().Contain(ProblemTypes.TooManyHeartbeats);
        agent.Time.Advance(throttled);
        await agent.Service.NextRequestAsync();
        (await agent.ElapseNextWaitAsync()).Should().Be(TimeSpan.FromSeconds(5));
        await agent.Service.NextRequestAsync();
        (await agent.ElapseNextWaitAsync()).Should().Be(TimeSpan.FromSeconds(5));
        await agent.Service.NextRequestAsync();

        (await agent.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(1), "the waits the service asked for are not failures to back off from");
    }

    [Test]
    public async Task A_refused_token_makes_the_worker_unhealthy_is_not_sent_again_and_a_new_token_from_the_store_resumes_it()
    {
        await using var agent = new AgentHarness(options => options.Token = Token);
        agent.Service.Answer(
            Answers.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized),
            Answers.Heartbeat(WorkerId, Start.AddMinutes(3), nextInSeconds: 4));
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();
        await agent.Service.NextRequestAsync();

        (await agent.ElapseNextWaitAsync()).Should().Be(MaximumBackoff);
        agent.Status.State.Should().Be(WorkerFleetAgentState.TokenRefused);
        var health = await agent.HealthAsync();
        health.Status.Should().Be(HealthStatus.Unhealthy);
        health.Description.Should().Contain("refused").And.Contain("new token");

        // Each wait announced means the look into the store before it is over, so the store is written between looks.
        var wait = await agent.NextWaitAsync();
        await agent.Store.WriteAsync(new WorkerToken(Token), CancellationToken.None);
        agent.Time.Advance(wait);
        (await agent.NextWaitAsync()).Should().Be(MaximumBackoff, "the store only yields the refused token again");
        agent.Service.Requests.Should().ContainSingle("the refused token is never sent again");

        await agent.Store.WriteAsync(new WorkerToken(NewToken), CancellationToken.None);
        agent.Time.Advance(MaximumBackoff);
        (await agent.Service.NextRequestAsync()).Should().BeEquivalentTo(new { PathAndQuery = "/workers/gpu-7/heartbeat", Bearer = NewToken });
        (await agent.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(4));
        agent.Status.State.Should().Be(WorkerFleetAgentState.Heartbeating);

        var refusals = agent.Logs.Entries.Where(e => e.EventId.Name == "NeedsAPerson").ToList();
        refusals.Should().ContainSingle("the refusal is logged once, not at each look into the store")
            .Which.Message.Should().Contain("refused worker gpu-7's token").And.Contain("new token");
        agent.Logs.Text.Should().NotContain(Token).And.NotContain(NewToken);
        agent.Status.LastError.Should().BeNull();
    }

    [Test]
    public async Task With_a_registration_key_a_refused_token_whose_id_is_still_registered_is_a_rotated_token()
    {
        await using var agent = new AgentHarness(options =>
        {
            options.Token = Token;
            options.RegistrationKey = RegistrationKey;
        });
        agent.Service.Answer(
            Answers.Problem(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized),
            Answers.Problem(HttpStatusCode.Conflict, ProblemTypes.WorkerAlreadyExists));
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();

        await agent.Service.NextRequestAsync();
        (await agent.Service.NextRequestAsync()).Should().BeEquivalentTo(new { PathAndQuery = "/workers", Bearer = RegistrationKey });
        (await agent.ElapseNextWaitAsync()).Should().Be(MaximumBackoff);
        (await agent.NextWaitAsync()).Should().Be(MaximumBackoff);

        agent.Status.State.Should().Be(WorkerFleetAgentState.TokenRefused);
        agent.Service.Requests.Should().HaveCount(2);
        agent.Logs.Text.Should().NotContain(Token).And.NotContain(RegistrationKey);
    }

    // The service answers 401 for a worker an operator unregistered (its token went with it), and 404 where it can tell.
    [TestCase(HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized)]
    [TestCase(HttpStatusCode.NotFound, ProblemTypes.WorkerNotFound)]
    public async Task A_worker_the_service_no_longer_knows_registers_again_with_the_registration_key(HttpStatusCode status, string type)
    {
        await using var agent = new AgentHarness(options =>
        {
            options.Token = Token;
            options.RegistrationKey = RegistrationKey;
        });
        agent.Service.Answer(
            Answers.Problem(status, type),
            Answers.Registered(WorkerId, NewToken),
            Answers.Heartbeat(WorkerId, Start.AddSeconds(2), nextInSeconds: 6));
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();

        await agent.Service.NextRequestAsync();
        (await agent.Service.NextRequestAsync()).Should().BeEquivalentTo(new { PathAndQuery = "/workers", Bearer = RegistrationKey });
        await agent.ElapseNextWaitAsync();
        (await agent.Service.NextRequestAsync()).Should().BeEquivalentTo(new { PathAndQuery = "/workers/gpu-7/heartbeat", Bearer = NewToken });
        (await agent.NextWaitAsync()).Should().Be(TimeSpan.FromSeconds(6));

        agent.Status.State.Should().Be(WorkerFleetAgentState.Heartbeating);
        (await agent.Store.ReadAsync(CancellationToken.None)).Should().Be(new WorkerToken(NewToken));
        agent.Logs.Text.Should().NotContain(Token).And.NotContain(NewToken).And.NotContain(RegistrationKey);
    }

    [Test]
    public async Task A_worker_the_service_no_longer_knows_is_unhealthy_without_a_registration_key()
    {
        await using var agent = new AgentHarness(options => options.Token = Token);
        agent.Service.Answer(Answers.Problem(HttpStatusCode.NotFound, ProblemTypes.WorkerNotFound));
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();
        await agent.Service.NextRequestAsync();

        (await agent.ElapseNextWaitAsync()).Should().Be(MaximumBackoff);
        (await agent.NextWaitAsync()).Should().Be(MaximumBackoff);

        agent.Status.State.Should().Be(WorkerFleetAgentState.WorkerGone);
        agent.Status.LastError.Should().Contain("no longer knows worker gpu-7").And.Contain("RegistrationKey");
        (await agent.HealthAsync()).Status.Should().Be(HealthStatus.Unhealthy);
        agent.Service.Requests.Should().ContainSingle();
    }

    [Test]
    public async Task A_taken_id_without_a_token_is_unhealthy_and_not_registered_again_and_again()
    {
        await using var agent = new AgentHarness(options => options.RegistrationKey = RegistrationKey);
        agent.Service.Answer(Answers.Problem(HttpStatusCode.Conflict, ProblemTypes.WorkerAlreadyExists));
        await agent.StartAsync();
        await agent.Service.NextRequestAsync();

        (await agent.ElapseNextWaitAsync()).Should().Be(MaximumBackoff);
        (await agent.ElapseNextWaitAsync()).Should().Be(MaximumBackoff);
        (await agent.NextWaitAsync()).Should().Be(MaximumBackoff);

        agent.Status.State.Should().Be(WorkerFleetAgentState.IdTaken);
        agent.Status.LastError.Should().Contain("already registered").And.Contain("holds no token");
        (await agent.HealthAsync()).Status.Should().Be(HealthStatus.Unhealthy);
        agent.Service.Requests.Should().ContainSingle();
        agent.Logs.Entries.Should().ContainSingle(e => e.Level == LogLevel.Error && e.EventId.Name == "NeedsAPerson");
    }

    [Test]
    public async Task An_invalid_registration_is_unhealthy_with_the_fields_the_service_named()
    {
        await using var agent = new AgentHarness(options => options.RegistrationKey = RegistrationKey);
        agent.Service.Answer(Answers.Problem(
            HttpStatusCode.BadRequest, ProblemTypes.InvalidConfiguration, errors: """{"capabilities":["Capabilities must not repeat."]}"""));
        await agent.StartAsync();
        await agent.Service.NextRequestAsync();

        (await agent.NextWaitAsync()).Should().Be(MaximumBackoff);
        agent.Status.State.Should().Be(WorkerFleetAgentState.Refused);
        agent.Status.LastError.Should().Contain(ProblemTypes.InvalidConfiguration).And.Contain("capabilities: Capabilities must not repeat.");
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task The_worker_unregisters_itself_on_shutdown_only_when_configured_to(bool unregisterOnShutdown)
    {
        await using var agent = new AgentHarness(options =>
        {
            options.Token = Token;
            options.UnregisterOnShutdown = unregisterOnShutdown;
        });
        agent.Service.Answer(Answers.Heartbeat(WorkerId, Start, nextInSeconds: 5), Answers.NoContent());
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();
        await agent.Service.NextRequestAsync();
        await agent.NextWaitAsync();

        await agent.StopAsync();

        var deletes = agent.Service.Requests.Where(r => r.Method == HttpMethod.Delete).ToList();
        if (unregisterOnShutdown)
        {
            deletes.Should().ContainSingle().Which.Should().BeEquivalentTo(new { PathAndQuery = "/workers/gpu-7", Bearer = Token });
            agent.Logs.Entries.Should().Contain(e => e.EventId.Id == 13 && e.Message == "Unregistered worker gpu-7 on shutdown");
        }
        else
        {
            deletes.Should().BeEmpty();
        }

        agent.Status.State.Should().Be(WorkerFleetAgentState.Stopped);
        agent.Logs.Text.Should().NotContain(Token);
    }

    [Test]
    public async Task A_registered_token_is_kept_in_the_token_file_readable_by_its_owner_only_and_reused_after_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("workerfleet-agent-");
        var path = Path.Combine(directory.FullName, "secrets", "token");
        try
        {
            await using (var first = new AgentHarness(options =>
            {
                options.RegistrationKey = RegistrationKey;
                options.TokenPath = path;
            }))
            {
                first.Service.Answer(Answers.Registered(WorkerId, Token));
                await first.StartAsync();
                await first.Service.NextRequestAsync();
                await first.NextWaitAsync();
                await first.StopAsync();
            }

            (await File.ReadAllTextAsync(path)).Should().Be(Token);
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            await using var restarted = new AgentHarness(options =>
            {
                options.RegistrationKey = RegistrationKey;
                options.TokenPath = path;
            });
            restarted.Service.Answer(Answers.Heartbeat(WorkerId, Start, nextInSeconds: 5));
            await restarted.StartAsync();
            await restarted.ElapseNextWaitAsync();

            (await restarted.Service.NextRequestAsync()).Should().BeEquivalentTo(new { PathAndQuery = "/workers/gpu-7/heartbeat", Bearer = Token });
            directory.GetFiles("*", SearchOption.AllDirectories).Select(f => f.Name).Should().Equal(["token"], "no temporary file is left behind");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task A_token_file_without_a_token_and_no_registration_key_stops_the_start_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"workerfleet-missing-{Guid.NewGuid():N}");
        await using var agent = new AgentHarness(options => options.TokenPath = path);

        var start = () => agent.StartAsync();

        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain(path).And.Contain("no token").And.Contain("registration key");
    }

    [Test]
    public async Task A_store_of_the_host_replaces_the_built_in_one()
    {
        var store = new HostStore(new WorkerToken(Token));
        await using var agent = new AgentHarness(options => options.TokenPath = "/nonexistent/never-read", services: s => s.AddSingleton<IWorkerTokenStore>(store));
        agent.Service.Answer(Answers.Heartbeat(WorkerId, Start, nextInSeconds: 5));
        await agent.StartAsync();
        await agent.ElapseNextWaitAsync();

        (await agent.Service.NextRequestAsync()).Bearer.Should().Be(Token);
        agent.Store.Should().BeSameAs(store);
    }

    private sealed class HostStore(WorkerToken token) : IWorkerTokenStore
    {
        public ValueTask<WorkerToken?> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult<WorkerToken?>(token);

        public ValueTask WriteAsync(WorkerToken token, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
