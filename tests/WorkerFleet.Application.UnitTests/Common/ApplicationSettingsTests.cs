using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkerFleet.Application.Common;
using WorkerFleet.Application.Events;
using WorkerFleet.Application.Telemetry;

namespace WorkerFleet.Application.UnitTests.Common;

/// <summary>The journal's and the metrics' settings: their defaults, their ranges with both ends included, and a
/// refusal that names the setting. (The lifecycle's are in <see cref="LifecycleOptionsTests"/>.)</summary>
public class ApplicationSettingsTests
{
    [Test]
    public void Without_settings_events_are_kept_7_days_and_polled_every_half_second_and_metrics_are_on_with_the_fleet_read_every_15_seconds()
    {
        var events = Resolve<EventsOptions>([]);
        var metrics = Resolve<MetricsOptions>([]);

        events.Retention.Should().Be(TimeSpan.FromDays(7));
        events.PollInterval.Should().Be(TimeSpan.FromMilliseconds(500));
        metrics.FleetReadingInterval.Should().Be(TimeSpan.FromSeconds(15));
        metrics.Enabled.Should().BeTrue("metrics are published unless turned off");
    }

    [TestCase("WorkerFleet:Events:Retention", "01:00:00")]
    [TestCase("WorkerFleet:Events:PollInterval", "00:00:00.01")]
    [TestCase("WorkerFleet:Events:PollInterval", "00:01:00")]
    public void The_ends_of_the_journals_ranges_are_accepted(string setting, string value) =>
        FluentActions.Invoking(() => Resolve<EventsOptions>(new() { [setting] = value })).Should().NotThrow();

    [Test]
    public void The_shortest_fleet_reading_interval_is_accepted() =>
        Resolve<MetricsOptions>(new() { ["WorkerFleet:Metrics:FleetReadingInterval"] = "00:00:01" })
            .FleetReadingInterval.Should().Be(TimeSpan.FromSeconds(1));

    [TestCase("WorkerFleet:Events:Retention", "00:59:59", "WorkerFleet:Events:Retention must be at least 01:00:00.")]
    [TestCase("WorkerFleet:Events:PollInterval", "00:00:00.009", "WorkerFleet:Events:PollInterval must be between 00:00:00.01 and 00:01:00.")]
    [TestCase("WorkerFleet:Events:PollInterval", "00:01:00.001", "WorkerFleet:Events:PollInterval must be between 00:00:00.01 and 00:01:00.")]
    public void A_journal_setting_out_of_range_is_refused_naming_it(string setting, string value, string failure) =>
        FluentActions.Invoking(() => Resolve<EventsOptions>(new() { [setting] = value }))
            .Should().Throw<OptionsValidationException>().Which.Failures.Should().Equal(failure);

    [Test]
    public void A_fleet_reading_interval_under_a_second_is_refused_naming_it() =>
        FluentActions.Invoking(() => Resolve<MetricsOptions>(new() { ["WorkerFleet:Metrics:FleetReadingInterval"] = "00:00:00.999" }))
            .Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Equal("WorkerFleet:Metrics:FleetReadingInterval must be at least 00:00:01.");

    [TestCase("00:00:00")]
    [TestCase("-00:00:01")]
    public void An_override_that_never_lasts_is_refused_naming_it(string ttl) =>
        FluentActions.Invoking(() => Resolve<LifecycleOptions>(new() { ["WorkerFleet:Lifecycle:MassFailureOverrideTtl"] = ttl }))
            .Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Equal("WorkerFleet:Lifecycle:MassFailureOverrideTtl must be a positive time span such as 00:10:00.");

    [Test]
    public void The_shortest_override_is_accepted() =>
        Resolve<LifecycleOptions>(new() { ["WorkerFleet:Lifecycle:MassFailureOverrideTtl"] = "00:00:00.001" })
            .MassFailureOverrideTtl.Should().Be(TimeSpan.FromMilliseconds(1));

    [Test]
    public void The_application_alone_provides_its_metrics_its_heartbeat_pacer_a_caller_named_host_and_the_system_clock()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddWorkerFleetApplication(configuration).BuildServiceProvider();

        services.GetService<FleetMetrics>().Should().NotBeNull();
        services.GetService<WorkerFleet.Application.Workers.HeartbeatPacer>().Should().NotBeNull();
        services.GetRequiredService<WorkerFleet.Application.Common.Abstractions.ICaller>().Name.Should().Be("host",
            "a host without callers of its own (a job, a console) is the actor of what it changes");
        services.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System, "a host that brings no clock runs on the system's");
    }

    private static T Resolve<T>(Dictionary<string, string?> settings)
        where T : class
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddWorkerFleetApplication(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<T>>().Value;
    }
}
