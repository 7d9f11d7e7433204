using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace WorkerFleet.WebApi.FunctionalTests;

public class RegistrationTests() : ApiTestBase()
{
    [Test]
    public async Task Registering_answers_201_with_the_pending_worker_and_its_location()
    {
        var response = await Client.RegisterAsync("worker-1");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location!.ToString().Should().Be("/workers/worker-1");
        var worker = await response.ReadJsonAsync();
        worker.GetProperty("id").GetString().Should().Be("worker-1");
        worker.GetProperty("region").GetString().Should().Be("us-east-1");
        worker.GetProperty("capacity").GetInt32().Should().Be(10);
        worker.GetProperty("capabilities")[0].GetString().Should().Be("compute");
        worker.GetProperty("metadata").GetProperty("datacenter").GetString().Should().Be("dc-1");
        worker.GetProperty("status").GetString().Should().Be("Pending");
        worker.GetProperty("registeredAt").GetString().Should().Be("2026-01-01T00:00:05Z");
        worker.GetProperty("lastHeartbeatAt").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);

        var read = await Client.GetAsync("/workers/worker-1");
        (await read.ReadJsonAsync()).GetProperty("status").GetString().Should().Be("Pending");
    }

    [Test]
    public async Task Registering_an_existing_id_answers_409_and_keeps_the_first_registration()
    {
        await Client.RegisterAsync("worker-1", region: "eu-west-1");

        var second = await Client.RegisterAsync("worker-1", region: "us-east-1");

        await second.ShouldBeProblemAsync(HttpStatusCode.Conflict, "worker-already-exists");
        var read = await (await Client.GetAsync("/workers/worker-1")).ReadJsonAsync();
        read.GetProperty("region").GetString().Should().Be("eu-west-1");
    }

    [Test]
    public async Task An_invalid_registration_answers_400_with_every_field_error_and_stores_nothing()
    {
        var response = await Client.PostAsJsonAsync("/workers", new
        {
            id = "-bad",
            region = "",
            capacity = 0,
            capabilities = new[] { "a", "a" },
            metadata = new Dictionary<string, string> { [""] = "x" },
        });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-configuration");
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("id", "region", "capacity", "capabilities", "metadata");
        (await (await Client.GetAsync("/workers")).ReadJsonAsync()).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [TestCase("active")]
    [TestCase("metadata")]
    public async Task Reserved_route_words_cannot_be_worker_ids(string id)
    {
        var response = await Client.RegisterAsync(id);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid-configuration");
        problem.GetProperty("errors").TryGetProperty("id", out _).Should().BeTrue();
    }

    [TestCase("""{"id":"w1","region":"r","capacity":1,"unknown":true}""", "unknown")]
    [TestCase("""{"id":"w1","region":"r","capacity":"ten"}""", "capacity")]
    [TestCase("""{"id":"w1","region":"r","capacity":1.5}""", "capacity")]
    [TestCase("""{"id":"w1","region":"r","capacity":99999999999}""", "capacity")]
    [TestCase("""{"id":"w1","id":"w2","region":"r","capacity":1}""", null)]
    [TestCase("""{"id":"w1","region":"r","capacity":1""", null)]
    [TestCase("""{"id":"w1","region":"r","capacity":1,"metadata":{"k":{"nested":1}}}""", null)]
    public async Task Malformed_bodies_answer_400_and_store_nothing(string json, string? field)
    {
        var response = await Client.PostAsync("/workers", new StringContent(json, Encoding.UTF8, "application/json"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
        if (field is not null)
        {
            problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(problem.ToString());
        }

        (await Client.GetAsync("/workers/w1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_body_over_64_KiB_answers_413_and_stores_nothing(bool declaresItsLength)
    {
        var metadata = Enumerable.Range(0, 200).ToDictionary(i => $"k{i}", _ => new string('x', 400));
        HttpContent body = JsonContent.Create(new { id = "big", region = "r", capacity = 1, metadata });
        if (declaresItsLength)
        {
            body = new ByteArrayContent(await body.ReadAsByteArrayAsync());
            body.Headers.ContentType = new("application/json");
        }

        var response = await Client.PostAsync("/workers", body);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        (await Client.GetAsync("/workers/big")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_body_that_is_not_json_is_refused()
    {
        var response = await Client.PostAsync("/workers", new StringContent("id=w1", Encoding.UTF8, "text/plain"));

        ((int)response.StatusCode).Should().BeInRange(400, 499);
        response.Content.Headers.ContentType?.MediaType.Should().Be("application/problem+json");
    }

    [Test]
    public async Task Unregistering_answers_204_then_the_worker_and_its_history_are_gone()
    {
        await Client.RegisterAsync("worker-1");
        await Client.HeartbeatAsync("worker-1");

        (await Client.DeleteAsync("/workers/worker-1")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        await (await Client.GetAsync("/workers/worker-1")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");
        await (await Client.GetAsync("/workers/worker-1/heartbeats")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");
        await (await Client.DeleteAsync("/workers/worker-1")).ShouldBeProblemAsync(HttpStatusCode.NotFound, "worker-not-found");
    }

    [Test]
    public async Task A_worker_can_register_again_after_unregistering()
    {
        await Client.RegisterAsync("worker-1");
        await Client.DeleteAsync("/workers/worker-1");

        (await Client.RegisterAsync("worker-1")).StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
