using Glidepath.Gateway.Dashboard.Models;
using Glidepath.Gateway.Dashboard.Shared;
using Glidepath.Rollouts;

namespace Glidepath.Dashboard.Tests;

/// <summary>Where the forest plot puts its marks: harm shaded beyond the tolerance, on the right side, ratios on a log scale.</summary>
public sealed class ForestPlotGeometryTests
{
    private static MetricEvidence Evidence(string scale, double tolerance, double? estimate, double? lower, double? upper, string verdict = "unclear") => new()
    {
        Metric = "m", Scale = scale, CanaryN = 100, StableN = 900, Estimate = estimate, Lower = lower, Upper = upper,
        Tolerance = tolerance, ToleranceText = "t", Verdict = verdict, Alpha = 0.025,
    };

    // A no_traffic alert's evidence (0 requests vs 200 per earlier window, m = 9) drawn as an interval shaded harm above 9.
    [Theory]
    [InlineData("ratio", true)]
    [InlineData("difference", true)]
    [InlineData("count", false)]
    public void Draws_CountScaleOfNoTraffic_NotAnIntervalToPlot(string scale, bool drawn)
    {
        Assert.Equal(drawn, ForestPlotGeometry.Draws(Evidence(scale, 9, 0, 200, 200, "harm")));
    }

    [Fact]
    public void Build_IncreaseTolerance_ShadesFromTheToleranceToTheRight()
    {
        var g = ForestPlotGeometry.Build([new ForestRow("now", Evidence("difference", 0.01, 0.002, -0.004, 0.008))]);

        Assert.Equal(g.ToleranceX, g.HarmFrom);
        Assert.Equal(g.PlotRight, g.HarmTo);
        Assert.True(g.NeutralX < g.ToleranceX);
        var m = Assert.Single(g.Marks);
        Assert.True(m.Low < m.Estimate && m.Estimate < m.High && m.High < g.ToleranceX);
    }

    [Fact]
    public void Build_DropTolerance_ShadesFromTheLeftToTheTolerance()
    {
        var g = ForestPlotGeometry.Build([new ForestRow("now", Evidence("difference", -0.03, -0.05, -0.08, -0.04, "harm"))]);

        Assert.Equal(g.PlotLeft, g.HarmFrom);
        Assert.Equal(g.ToleranceX, g.HarmTo);
        Assert.True(Assert.Single(g.Marks).High < g.ToleranceX);
    }

    [Fact]
    public void Build_Ratio_DrawsOnALogScaleSoReciprocalsAreEquallyFarFromOne()
    {
        var g = ForestPlotGeometry.Build([new ForestRow("a", Evidence("ratio", 1.25, 0.8, 0.8, 1.25))]);

        var m = Assert.Single(g.Marks);
        Assert.Equal(g.NeutralX - m.Low!.Value, m.High!.Value - g.NeutralX, 6);
        Assert.Equal(g.ToleranceX, m.High!.Value, 6);
    }

    [Fact]
    public void Build_NoInterval_DrawsNoMarkButKeepsTheRow()
    {
        var g = ForestPlotGeometry.Build([new ForestRow("now", Evidence("ratio", 1.25, null, null, null, "not_enough_data"))]);

        var m = Assert.Single(g.Marks);
        Assert.Null(m.Estimate);
        Assert.Equal("not_enough_data", m.Verdict);
    }

    [Fact]
    public void Build_InfiniteUpperBound_IsClampedToThePlotEdge()
    {
        var g = ForestPlotGeometry.Build([new ForestRow("now", Evidence("ratio", 1.25, 1.1, 0.9, double.PositiveInfinity))]);

        Assert.Equal(g.PlotRight, Assert.Single(g.Marks).High);
    }

    [Fact]
    public void Build_HarmSideJudgedWithoutAGroup_DrawsWhatItsBoundIsAroundInsideThePlot()
    {
        // Review of the mirror case, M3: the estimate (+0.0342) lies left of its interval [+0.0454, +0.1089]; the harm side's
        // own estimate (+0.1200, past the upper end here) is drawn too, and the plot's range takes it in.
        var e = Evidence("difference", 0.02, 0.0342, 0.0454, 0.1089, "harm") with { HarmSideEstimate = 0.12, LeftOutStableShare = 0.98 };

        var g = ForestPlotGeometry.Build([new ForestRow("now", e)], text: x => x.WindowIntervalText());

        var m = Assert.Single(g.Marks);
        Assert.True(m.Estimate < m.Low && m.Low < m.HarmSide, $"estimate {m.Estimate}, low {m.Low}, harm side {m.HarmSide}");
        Assert.True(m.HarmSide < g.PlotRight);
        Assert.Contains("of the reference's spread", m.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_NothingLeftOut_NoHarmSideMark()
    {
        var g = ForestPlotGeometry.Build([new ForestRow("now", Evidence("difference", 0.01, 0.002, -0.004, 0.008))]);

        Assert.Null(Assert.Single(g.Marks).HarmSide);
    }
}
