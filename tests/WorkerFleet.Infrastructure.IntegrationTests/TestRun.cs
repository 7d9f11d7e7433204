namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>What the whole test run shares: the PostgreSQL database of <see cref="SharedPostgresDatabase"/>, dropped
/// after the last test so that runs leave no databases behind on the server.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public async Task DropSharedDatabase() => await SharedPostgresDatabase.DropAsync();
}
