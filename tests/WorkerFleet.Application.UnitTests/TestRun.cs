using WorkerFleet.Application.UnitTests.Testing;

namespace WorkerFleet.Application.UnitTests;

/// <summary>What the whole test run shares: the template database each test's storage is copied from.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public async Task DeleteTemplate() => await TestDatabase.DeleteTemplateAsync();
}
