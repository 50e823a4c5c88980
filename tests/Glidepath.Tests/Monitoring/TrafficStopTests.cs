using Glidepath.Manifests;
using Glidepath.Monitoring;

namespace Glidepath.Tests.Monitoring;

public sealed class TrafficStopTests
{
    private static readonly Manifest Manifest = new()
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
    };

    private static readonly DriftPolicy Hourly = DriftPolicy.From(Manifest);

    // α per metric at the defaults is 0.05 / 6: ⌈ln(24 / α)⌉ = 8 for 1-hour windows, ⌈ln(1 / α)⌉ = 5 for a day, ⌈ln(288 / α)⌉ = 11 for 5 minutes.
    [Theory]
    [InlineData(60, 8)]
    [InlineData(1440, 5)]
    [InlineData(5, 11)]
    public void MinimumPerWindow_DefaultConfidence_ShorterWindowsNeedMoreRequestsPerWindow(int minutes, long expected)
    {
        Assert.Equal(expected, TrafficStop.MinimumPerWindow(DriftPolicy.From(Manifest, TimeSpan.FromMinutes(minutes))));
    }

    [Fact]
    public void Assess_NoRequestWhileEveryEarlierWindowHeldTheMinimum_Harm()
    {
        var evidence = TrafficStop.Assess(0, [8, 40, 12], Hourly);

        Assert.Equal(("no_traffic", "count", "harm"), (evidence.Metric, evidence.Scale, evidence.Verdict));
        Assert.Equal((0L, 60L, 8.0), (evidence.CanaryN, evidence.StableN, evidence.Tolerance));
        Assert.Equal("0 vs 8–40 per earlier window", evidence.IntervalText());
        Assert.Equal("none when each earlier ≥ 8", evidence.ToleranceText);
    }

    [Fact]
    public void Assess_NoRequestButOneEarlierWindowBelowTheMinimum_NotEnoughData()
    {
        Assert.Equal("not_enough_data", TrafficStop.Assess(0, [400, 7, 400], Hourly).Verdict);
        Assert.Equal("not_enough_data", TrafficStop.Assess(0, [], Hourly).Verdict);
    }

    [Fact]
    public void Assess_RequestsArriving_SafeHoweverFewer()
    {
        var evidence = TrafficStop.Assess(1, [5000], Hourly);

        Assert.Equal("safe", evidence.Verdict);
        Assert.Equal("1 vs 5000 per earlier window", evidence.IntervalText());
    }
}
