using System.Net;

namespace WorkerFleet.WebApi.FunctionalTests;

public class WorkerTokenTests() : ApiTestBase()
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
        using var worker = Api.CreateClient(token);

        (await worker.DeleteAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await Client.GetAsync("/workers/alpha")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_token_that_authenticated_heartbeats_before_its_worker_was_unregistered_is_refused_as_a_credential()
    {
        var token = await RegisterAsync("alpha");
        using var worker = Api.CreateClient(token);
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
        using var oldClient = Api.CreateClient(oldToken);

        var rotation = await Client.PostAsync("/workers/alpha/token", null);
        var newToken = (await rotation.ReadJsonAsync()).GetProperty("token").GetString()!;
        using var newClient = Api.CreateClient(newToken);

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

    private async Task<string> RegisterAsync(string id) =>
        (await (await Client.RegisterAsync(id)).ReadJsonAsync()).GetProperty("token").GetString()!;
}
