using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Application.UnitTests.Telemetry;

/// <summary>The outcome each heartbeat answer is counted under in <c>workerfleet.heartbeats</c>.</summary>
public class HeartbeatOutcomesTests
{
    [TestCase(200, HeartbeatOutcomes.Recorded)]
    [TestCase(400, HeartbeatOutcomes.Invalid)]
    [TestCase(413, HeartbeatOutcomes.Invalid)]
    [TestCase(415, HeartbeatOutcomes.Invalid)]
    [TestCase(401, HeartbeatOutcomes.Unauthorized)]
    [TestCase(403, HeartbeatOutcomes.Forbidden)]
    [TestCase(404, HeartbeatOutcomes.NotFound)]
    [TestCase(429, HeartbeatOutcomes.RateLimited)]
    [TestCase(503, HeartbeatOutcomes.Unavailable)]
    [TestCase(500, HeartbeatOutcomes.Failed)]
    [TestCase(414, HeartbeatOutcomes.Failed)]
    public void Each_answer_counts_under_its_outcome(int status, string outcome) => HeartbeatOutcomes.Of(status).Should().Be(outcome);
}
