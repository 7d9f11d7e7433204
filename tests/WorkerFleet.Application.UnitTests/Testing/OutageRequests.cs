using WorkerFleet.Application.Alarms.Queries;
using WorkerFleet.Application.Workers.Commands;

namespace WorkerFleet.Application.UnitTests.Testing;

/// <summary>Requests an instance answers during a storage outage without storage having answered them.</summary>
public static class OutageRequests
{
    /// <summary>Reading the alarms (what the alarms health check does), a request refused by validation, and the
    /// lifecycle checks, whose first sweep fails on storage.</summary>
    public static IEnumerable<SentRequest> NotAnsweredByStorage() =>
    [
        SentRequest.Of(new GetAlarms()) with { Name = "GetAlarms" },
        SentRequest.Of(new RegisterWorker("-not-an-id", "us-east-1", 10)) with { Name = "RegisterWorker refused by validation" },
        SentRequest.Of(new RunLifecycleChecks()) with { Name = "RunLifecycleChecks failing on storage" },
    ];
}
