using Glidepath.Manifests;
using Glidepath.Monitoring;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// Issue 12 item 5: a daily cycle is not drift. A release becomes stable at 02:00 (the latency trough) and is checked
/// every 5 minutes, as the gateway does, on seeded traffic whose latency is ×1.5 from trough to peak.
/// </summary>
public sealed class DailyCycleDriftTests
{
    private const double RequestsPerMinute = 40;
    private static readonly DateTimeOffset Release = DailyCycleTraffic.Start.AddHours(2);
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(5);

    private static readonly DriftMonitor Monitor = new(DriftPolicy.From(new Manifest
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    }));

    [Fact]
    public void Check_StationaryDailyCycleOfLatencyTimes1Point5_NoAlertInEightDaysOfFiveMinuteChecks()
    {
        const int days = 8;
        var traffic = new DailyCycleTraffic(seed: 12, days, RequestsPerMinute);
        var looks = 0;
        var alerts = new List<DateTimeOffset>();
        for (var now = Release + Every; now <= DailyCycleTraffic.Start.AddDays(days); now += Every)
        {
            looks += DriftWindows.For(Release, now, Monitor.Policy) is null ? 0 : 1;
            if (traffic.Alerts(Monitor, Release, now))
            {
                alerts.Add(now);
            }
        }

        Assert.True(looks > 6 * 288, $"{looks} checks compared anything");
        Assert.True(alerts.Count == 0, $"{alerts.Count} alerting checks, first at {alerts.FirstOrDefault():u}");
    }

    [Fact]
    public void Check_FirstHourAfterTheReleaseAsReference_AlertsEveryDayOnTheSameCycle()
    {
        // The monitor's old windows (the first hour after the release vs the last hour) on the same traffic: the cycle
        // alone is beyond max_ratio 1.25 in the afternoon of every day, so the test above is not passing for want of a cycle.
        const int days = 4;
        var traffic = new DailyCycleTraffic(seed: 12, days, RequestsPerMinute);
        var firstHour = traffic.Window(Release, Release.AddHours(1));
        var daysWithAnAlert = new HashSet<int>();
        for (var now = Release.AddHours(2); now <= DailyCycleTraffic.Start.AddDays(days); now += Every)
        {
            if (Monitor.HasDrifted(traffic.Window(now.AddHours(-1), now), firstHour))
            {
                daysWithAnAlert.Add((now - DailyCycleTraffic.Start).Days);
            }
        }

        Assert.Equal([0, 1, 2, 3], daysWithAnAlert.Order());
    }

    [Theory]
    [InlineData(1.5, 0.0)]
    [InlineData(1.0, 0.04)]
    public void Check_StepChangeOnDay3At10_AlertedWithinTwoHoursAndNotBefore(double latencyFactor, double errorIncrease)
    {
        var change = DailyCycleTraffic.Start.AddDays(3).AddHours(10);
        var traffic = new DailyCycleTraffic(seed: 5, days: 4, RequestsPerMinute, change, latencyFactor, errorIncrease);
        DateTimeOffset? first = null;
        for (var now = Release + Every; now <= DailyCycleTraffic.Start.AddDays(4) && first is null; now += Every)
        {
            first = traffic.Alerts(Monitor, Release, now) ? now : null;
        }

        Assert.NotNull(first);
        Assert.InRange(first.Value, change.AddMinutes(1), change.AddHours(2));
    }
}
