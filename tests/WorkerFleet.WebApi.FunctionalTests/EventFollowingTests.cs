using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WorkerFleet.WebApi.FunctionalTests;

/// <summary>A consumer follows the event stream of real service processes from <c>after=0</c>, through a
/// <c>kill -9</c> and a restart (and on PostgreSQL through a second instance writing at the same time), reconnecting
/// with <c>Last-Event-ID</c> as a browser does, and ends with exactly the events the journal holds, in order, none
/// twice.</summary>
[TestFixture("Sqlite")]
[TestFixture("Postgres")]
public class EventFollowingTests(string provider)
{
    private const string Never = "0 0 0 1 1 ? 2099";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private TestDatabase? _database;
    private string _directory = null!;

    [SetUp]
    public async Task CreateStorage()
    {
        _directory = Directory.CreateTempSubdirectory("workerfleet-events-").FullName;
        _database = provider == "Postgres" ? await TestDatabase.CreateAsync("events") : null;
    }

    [TearDown]
    public async Task DropStorage()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Test]
    public async Task A_consumer_ends_with_exactly_the_journal_through_a_crash_and_a_restart()
    {
        using var first = StartInstance();
        await first.WaitUntilHealthyAsync();
        // A second instance writes beside the first on PostgreSQL; SQLite serves one instance.
        using var second = _database is null ? null : StartInstance();
        if (second is not null)
        {
            await second.WaitUntilHealthyAsync();
        }

        var followed = first;
        using var stop = new CancellationTokenSource(Patience);
        var consumer = new StreamConsumer(() => followed.BaseAddress);
        var following = consumer.FollowAsync(stop.Token);
        var writers = second is null ? new[] { first } : [first, second];

        await WriteAsync(writers, "before", stop.Token);
        first.Kill();
        // While the followed instance is down, the consumer keeps reconnecting; on PostgreSQL the other instance
        // takes writes meanwhile.
        if (second is not null)
        {
            await WriteAsync([second], "during", stop.Token);
        }

        using var restarted = StartInstance();
        await restarted.WaitUntilHealthyAsync();
        followed = restarted;
        await WriteAsync(second is null ? [restarted] : [restarted, second], "after", stop.Token);

        var journal = await ReadJournalAsync(restarted, stop.Token);
        await ServiceProcess.WaitForAsync(
            () => consumer.Received.Count >= journal.Count, "the consumer to catch up with the journal", Patience, restarted);
        await stop.CancelAsync();
        await following;

        journal.Should().HaveCountGreaterThanOrEqualTo(32, "each worker written has a registered event and one more");
        consumer.Received.Select(e => e.Sequence).Should().Equal(journal.Select(e => e.Sequence),
            "the consumer received every event of the journal, each once, in sequence order");
        consumer.Received.Select(e => e.Type).Should().Equal(journal.Select(e => e.Type));
        consumer.Reconnections.Should().BeGreaterThan(0, "the kill ended the stream it followed");
    }

    /// <summary>Registers workers through each instance, changes them, and runs the lifecycle sweeps, concurrently.</summary>
    private static async Task WriteAsync(ServiceProcess[] instances, string batch, CancellationToken cancellationToken)
    {
        await Task.WhenAll(instances.Select(async (instance, n) =>
        {
            using var registrar = instance.CreateClient(ServiceProcess.RegistrationKey);
            using var admin = instance.CreateClient(ServiceProcess.AdminKey);
            var ids = Enumerable.Range(0, 8).Select(i => $"{batch}-{n}-{i}").ToArray();
            await Task.WhenAll(ids.Select(async id =>
                (await registrar.RegisterAsync(id)).StatusCode.Should().Be(HttpStatusCode.Created)));
            await Task.WhenAll(ids.Select(async (id, i) =>
            {
                using var response = i % 2 == 0
                    ? await admin.PostAsync($"/workers/{id}/token", null, cancellationToken)
                    : await admin.PutAsJsonAsync($"/workers/{id}/status", new { status = "Failed" }, cancellationToken);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
            }));
            (await admin.PostAsync("/scheduler/run", null, cancellationToken)).StatusCode.Should().Be(HttpStatusCode.OK);
        }));
    }

    private static async Task<List<(long Sequence, string Type)>> ReadJournalAsync(ServiceProcess instance, CancellationToken cancellationToken)
    {
        using var reader = instance.CreateClient(WorkerFleetApi.ReaderKey);
        var journal = new List<(long, string)>();
        long after = 0;
        for (var pages = 0; ; pages++)
        {
            pages.Should().BeLessThan(1000, "reading the journal page by page must reach its end");
            var page = await (await reader.GetAsync($"/events?after={after}&limit=1000", cancellationToken)).ReadJsonAsync();
            var items = page.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == 0)
            {
                return journal;
            }

            journal.AddRange(items.Select(e => (e.GetProperty("sequence").GetInt64(), e.GetProperty("type").GetString()!)));
            after = page.GetProperty("nextAfter").GetInt64();
        }
    }

    private ServiceProcess StartInstance()
    {
        var settings = new Dictionary<string, string>
        {
            ["WorkerFleet:Lifecycle:ActivationCron"] = Never,
            ["WorkerFleet:Lifecycle:StaleDetectionCron"] = Never,
            ["WorkerFleet:Lifecycle:ReactivationCron"] = Never,
            ["WorkerFleet:Events:PollInterval"] = "00:00:00.2",
        };
        if (_database is null)
        {
            settings["WorkerFleet:Storage:SqlitePath"] = Path.Combine(_directory, "workerfleet.db");
        }
        else
        {
            settings["WorkerFleet:Storage:Provider"] = "Postgres";
            settings["ConnectionStrings:WorkerFleet"] = _database.ConnectionString;
        }

        return ServiceProcess.Start(_directory, settings);
    }

    /// <summary>Follows /events/stream the way EventSource does: on any end or error it waits the stream's retry time
    /// and reconnects, sending the id of the last event it received.</summary>
    private sealed class StreamConsumer(Func<Uri> instance)
    {
        public List<(long Sequence, string Type)> Received { get; } = [];

        public int Reconnections { get; private set; }

        public async Task FollowAsync(CancellationToken cancellationToken)
        {
            using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WorkerFleetApi.ReaderKey);
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(instance(), "/events/stream?after=0"));
                    lock (Received)
                    {
                        if (Received.Count > 0)
                        {
                            request.Headers.Add("Last-Event-ID", Received[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }

                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    response.EnsureSuccessStatusCode();
                    using var reader = new EventStreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                    while (await reader.NextAsync(cancellationToken) is { } e)
                    {
                        var data = JsonDocument.Parse(e.Data).RootElement;
                        lock (Received)
                        {
                            Received.Add((data.GetProperty("sequence").GetInt64(), data.GetProperty("type").GetString()!));
                        }
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or IOException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // The instance went away mid-stream or is not listening yet.
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Reconnections++;
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }
        }
    }
}
