using System.Collections.Concurrent;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkerFleet.Infrastructure.Persistence;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A rotated-out token stops working the moment the rotation answers, on both providers: even where an
/// instance still trusts the old token from its cache (as every other instance of a cluster does), the statement that
/// records the heartbeat refuses it.</summary>
[TestFixture("Sqlite")]
[TestFixture("Postgres")]
public class TokenRotationTests(string provider)
{
    private TestDatabase? _database;
    private WorkerFleetApi _api = null!;
    private HttpClient _operator = null!;

    [SetUp]
    public async Task StartService()
    {
        // The race sends hundreds of rotated-out tokens from one client: the failed-authentication limit is tested on its own.
        var settings = new Dictionary<string, string?>
        {
            ["WorkerFleet:Security:HeartbeatRateLimit"] = "100000",
            ["WorkerFleet:Security:FailedAuthenticationLimit"] = "100000",
        };
        if (provider == "Postgres")
        {
            _database = await TestDatabase.CreateAsync("rotation");
            settings["WorkerFleet:Storage:Provider"] = "Postgres";
            settings["ConnectionStrings:WorkerFleet"] = _database.ConnectionString;
        }

        _api = new WorkerFleetApi(settings);
        _operator = _api.CreateOperatorClient();
    }

    [TearDown]
    public async Task StopService()
    {
        // Null when the database could not be created.
        _operator?.Dispose();
        _api?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Test]
    public async Task A_rotated_out_token_the_instance_still_trusts_from_its_cache_is_refused_by_the_write()
    {
        var oldToken = await _operator.RegisterForTokenAsync("alpha");
        using var worker = _api.CreateClient(oldToken);
        (await worker.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK, "this puts the token in the cache");

        // The rotation goes to the database and leaves this instance's cache as another instance's would be.
        var rotation = await _operator.PostAsync("/workers/alpha/token", null);
        rotation.StatusCode.Should().Be(HttpStatusCode.OK);
        var newToken = (await rotation.ReadJsonAsync()).GetProperty("token").GetString()!;

        (await worker.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await RecordedAsync()).Should().Be(1, "the refused heartbeat is not recorded");
        (await worker.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "and is forgotten by the cache");
        using var renewed = _api.CreateClient(newToken);
        (await renewed.PostAsync("/workers/alpha/heartbeat", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await RecordedAsync()).Should().Be(2);
    }

    [Test]
    public async Task No_heartbeat_sent_with_the_old_token_during_a_rotation_is_recorded_after_the_rotation_answered()
    {
        var oldToken = await _operator.RegisterForTokenAsync("alpha");
        using var worker = _api.CreateClient(oldToken);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var accepted = 0;
        var rotated = 0;
        var sentAfterRotation = new ConcurrentBag<HttpStatusCode>();

        async Task HammerAsync()
        {
            while (Volatile.Read(ref rotated) == 0 || sentAfterRotation.Count < 50)
            {
                var sentAfter = Volatile.Read(ref rotated) == 1;
                var response = await worker.PostAsync("/workers/alpha/heartbeat", null, deadline.Token);
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
            deadline.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }

        (await _operator.PostAsync("/workers/alpha/token", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        var recordedWhenRotationAnswered = await RecordedAsync();
        Volatile.Write(ref rotated, 1);
        await Task.WhenAll(hammers);

        sentAfterRotation.Should().OnlyContain(status => status == HttpStatusCode.Unauthorized);
        (await RecordedAsync()).Should().Be(recordedWhenRotationAnswered, "nothing is recorded with the old token after the rotation");
        recordedWhenRotationAnswered.Should().Be(Volatile.Read(ref accepted), "every accepted heartbeat was recorded, and only those");
    }

    private async Task<long> RecordedAsync()
    {
        await using var scope = _api.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<WorkerFleetDbContext>()
            .Workers.Where(w => w.Id == "alpha").Select(w => w.HeartbeatsRecorded).SingleAsync();
    }
}
