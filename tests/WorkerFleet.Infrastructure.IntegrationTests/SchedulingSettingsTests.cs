using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkerFleet.Infrastructure.Scheduling;

namespace WorkerFleet.Infrastructure.IntegrationTests;

/// <summary>The schedules a host gets from the packages when its configuration names none, as the README lists them.</summary>
public class SchedulingSettingsTests
{
    [Test]
    public void Without_settings_activation_runs_every_10_seconds_the_other_sweeps_every_30_and_retention_at_a_quarter_past_each_hour()
    {
        using var provider = new ServiceCollection().AddWorkerFleetScheduling(new ConfigurationBuilder().Build()).BuildServiceProvider();

        var lifecycle = provider.GetRequiredService<IOptions<LifecycleScheduleOptions>>().Value;
        lifecycle.ActivationCron.Should().Be("0/10 * * * * ?");
        lifecycle.StaleDetectionCron.Should().Be("0/30 * * * * ?");
        lifecycle.ReactivationCron.Should().Be("0/30 * * * * ?");
        provider.GetRequiredService<IOptions<EventRetentionScheduleOptions>>().Value.RetentionCron.Should().Be("0 15 * * * ?");
    }
}
