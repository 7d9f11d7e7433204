using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.WebApi.FunctionalTests;

// The rotation race sends hundreds of rotated-out tokens from one client: the failed-authentication limit is tested on its own.
public class WorkerTokenTests() : ApiTestBase(new Dictionary<string, string?>
{
    ["WorkerFleet:Security:HeartbeatRateLimit"] = "100000",
    ["WorkerFleet:Security:FailedAuthenticationLimit"] = "100000",
})
{
    [Test]
    public async Task The_token_is_shown_once_and_only_its_hash_is_stored()
    {
        var token = await RegisterAsync("alpha");

        var read = await (await Client.GetAsync("/workers/alpha")).Content.ReadAsStringAsync();
        var metadata = await (await Client.GetAsync("/workers/alpha/metadata")).Content.ReadAsStringAsync();

        token.Should().StartWith("wft_");
        read.Should().NotContain(token).And.NotContain("token");
        metadata.Should().NotContain(token);
        (await FleetSnapshot.TakeAsync(Api)).Should().NotContain(token);
    }

    [Test]
    public async Task A_worker_unregisters_itself_with_its_own_token()
    {
        var token = await RegisterAsync("alpha");
        using var worker = WorkerClient(token);

        (await worker.DeleteAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Client.GetAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_token_that_authenticated_heartbeats_before_its_worker_was_unregistered_is_refused_as_a_credential()
    {
        var token = await RegisterAsync("alpha");
        using var worker = WorkerClient(token);
        (await worker.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await Client.DeleteAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        // The first refusal comes from the write (the token was remembered), the second from the lookup: the same answer.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var refused = await worker.PostAsync("/workers/alpha/heartbeat", null);
            await refused.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
            refused.Headers.WwwAuthenticate.Should().ContainSingle().Which.Parameter.Should().Contain("invalid_token");
        }
    }

    [Test]
    public async Task After_rotation_the_old_token_is_refused_at_once_and_the_new_one_works()
    {
        var oldToken = await RegisterAsync("alpha");
        using var oldClient = WorkerClient(oldToken);

        var rotation = await Client.PostAsync("/workers/alpha/token", null);
        var newToken = (await rotation.ReadJsonAsync()).GetProperty("token").GetString()!;
        using var newClient = WorkerClient(newToken);

        rotation.StatusCode.Should().Be(HttpStatusCode.OK);
        newToken.Should().NotBe(oldToken);
        var refused = await oldClient.PostAsync("/workers/alpha/heartbeat", null);
        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.Should().ContainSingle().Which.Scheme.Should().Be("Bearer");
        (await newClient.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await oldClient.DeleteAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Rotating_the_token_of_an_unknown_worker_answers_404() =>
        await (await Client.PostAsync("/workers/ghost/token", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");

    [Test]
    public async Task No_heartbeat_with_a_rotated_out_token_is_recorded_after_the_rotation_answered()
    {
        var oldToken = await RegisterAsync("alpha");
        using var worker = WorkerClient(oldToken);
        var accepted = 0;
        var rotated = 0;
        var sentAfterRotation = new ConcurrentBag<HttpStatusCode>();

        async Task HammerAsync()
        {
            while (Volatile.Read(ref rotated) == 0 || sentAfterRotation.Count < 50)
            {
                var sentAfter = Volatile.Read(ref rotated) == 1;
                var response = await worker.PostAsync("/workers/alpha/heartbeat", null);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref accepted);
                }

                if (sentAfter)
                {
                    sentAfterRotation.Add(response.StatusCode);
                }
            }
        }

        var hammers = Enumerable.Range(0, 4).Select(_ => Task.Run(HammerAsync)).ToArray();
        while (Volatile.Read(ref accepted) < 20)
        {
            await Task.Yield();
        }

        (await Client.PostAsync("/workers/alpha/token", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var recordedWhenRotationAnswered = await RecordedAsync();
        Volatile.Write(ref rotated, 1);
        await Task.WhenAll(hammers);

        sentAfterRotation.Should().OnlyContain(status => status == HttpStatusCode.Unauthorized);
        (await RecordedAsync()).Should().Be(recordedWhenRotationAnswered, "nothing is recorded with the old token after the rotation");
        recordedWhenRotationAnswered.Should().Be(Volatile.Read(ref accepted), "every accepted heartbeat was recorded, and only those");
    }

    private async Task<long> RecordedAsync()
    {
        await using var scope = Api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>()
            .Workers.Where(w => w.Id == "alpha").Select(w => w.HeartbeatsRecorded).SingleAsync();
    }

    private async Task<string> RegisterAsync(string id) =>
        (await (await Client.RegisterAsync(id)).ReadJsonAsync()).GetProperty("token").GetString()!;

    private HttpClient WorkerClient(string token)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
