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

    // α per metric at the defaults is 0.05 / 8: ⌈ln(24 / α)⌉ = 9 for 1-hour windows, ⌈ln(1 / α)⌉ = 6 for a day, ⌈ln(288 / α)⌉ = 11 for 5 minutes.
    [Theory]
    [InlineData(60, 9)]
    [InlineData(1440, 6)]
    [InlineData(5, 11)]
    public void MinimumPerWindow_DefaultConfidence_ShorterWindowsNeedMoreRequestsPerWindow(int minutes, long expected)
    {
        Assert.Equal(expected, TrafficStop.MinimumPerWindow(DriftPolicy.From(Manifest, TimeSpan.FromMinutes(minutes))));
    }

    [Fact]
    public void Assess_NoRequestWhileEveryEarlierWindowHeldTheMinimum_Harm()
    {
        var evidence = TrafficStop.Assess(0, [40, 42, 41], Hourly);

        Assert.Equal(("no_traffic", "count", "harm"), (evidence.Metric, evidence.Scale, evidence.Verdict));
        Assert.Equal((0L, 123L, 9.0), (evidence.CanaryN, evidence.StableN, evidence.Tolerance));
        Assert.Equal("0 now vs 40–42 per earlier window (active subject groups)", evidence.IntervalText());
        Assert.Equal("none when each earlier ≥ 9", evidence.ToleranceText);
    }

    [Fact]
    public void Assess_NoRequestButOneEarlierWindowBelowTheMinimum_NotEnoughData()
    {
        Assert.Equal("not_enough_data", TrafficStop.Assess(0, [400, 7, 400], Hourly).Verdict);
        Assert.Equal("not_enough_data", TrafficStop.Assess(0, [], Hourly).Verdict);
    }

    [Fact]
    public void Assess_FewerMatchedWindowsThanTheMinimum_NotEnoughData()
    {
        Assert.Equal("not_enough_data", TrafficStop.Assess(0, [5000, 5000], Hourly).Verdict);
    }

    // Conversations make counts over-dispersed: 8, 40, 12 is 1–5 conversations a window, and an empty one is likely.
    [Fact]
    public void Assess_OverDispersedEarlierWindows_NeedsMoreThanThePoissonMinimum()
    {
        var evidence = TrafficStop.Assess(0, [8, 40, 12, 30, 9, 25, 16], Hourly);

        Assert.Equal("not_enough_data", evidence.Verdict);
        Assert.True(evidence.Tolerance > 40, evidence.ToleranceText);
    }

    [Theory]
    [InlineData(new long[] { 100, 100, 100 }, 1.0)]
    [InlineData(new long[] { 100, 104, 96, 102, 98, 100, 100 }, 1.0)] // variance/mean 0.07, × 3.67 < 1: Poisson's floor
    [InlineData(new long[] { 10, 30, 20 }, 5 * 2 / 0.1026)]           // variance/mean 5, 2 degrees of freedom
    public void Dispersion_MatchedWindowCounts_UpperBoundOfVarianceToMeanAtLeastOne(long[] counts, double expected)
    {
        Assert.Equal(expected, TrafficStop.Dispersion(counts), 6);
    }

    [Fact]
    public void Assess_RequestsArriving_SafeHoweverFewer()
    {
        var evidence = TrafficStop.Assess(1, [60], Hourly);

        Assert.Equal("safe", evidence.Verdict);
        Assert.Equal("1 now vs 60 per earlier window (active subject groups)", evidence.IntervalText());
    }

    // Both sides of the count are ActiveSubjects of a window: a window's requests are another unit (trial "traffic" #5).
    [Fact]
    public void ActiveSubjects_ManyRequestsFromFewGroups_CountsTheGroupsNotTheRequests()
    {
        var groups = new Glidepath.Rollouts.ArmSample[64];
        groups[3] = new() { Requests = 3000 };
        groups[17] = new() { Requests = 150 };
        var window = new Glidepath.Rollouts.ArmSample { Requests = 3150, Groups = groups };

        Assert.Equal(2, TrafficStop.ActiveSubjects(window));
        Assert.Equal(0, TrafficStop.ActiveSubjects(default));
    }
}
