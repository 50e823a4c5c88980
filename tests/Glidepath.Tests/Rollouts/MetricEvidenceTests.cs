using Glidepath.Manifests;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

public sealed class MetricEvidenceTests
{
    [Theory]
    [InlineData(-1e-9, "+0.0000")]
    [InlineData(-0.00004, "+0.0000")]
    [InlineData(0.0, "+0.0000")]
    [InlineData(0.04123, "+0.0412")]
    [InlineData(-0.008, "-0.0080")]
    [InlineData(-0.00005, "-0.0001")]
    public void Signed_Difference_OneSignAndFourDecimals(double x, string expected) =>
        Assert.Equal(expected, MetricEvidence.Signed(x));

    [Fact]
    public void IntervalText_BoundsThatRoundToZero_PrintWithoutADoubleSign()
    {
        // The trial's online_score evidence printed "[-+0.0000, +0.0000]".
        var e = new MetricEvidence
        {
            Metric = "online_score", Scale = "difference", CanaryN = 40, StableN = 400, Estimate = -1e-12, Lower = -3e-7, Upper = 2e-7,
            Tolerance = -0.03, ToleranceText = "max_drop 0.03", Verdict = "safe", Alpha = 0.0125,
        };

        Assert.Equal("+0.0000 [+0.0000, +0.0000]", e.IntervalText());
    }

    // Newcomer trial L9: "error_rate +0.0000 [-0.0040, +0.0200] vs max_increase 0.02 straddles it" printed a bound equal to
    // the tolerance for one just above it.
    [Fact]
    public void IntervalText_BoundJustAboveTheTolerance_PrintsTheDigitsThatShowItIsAbove()
    {
        var e = new MetricEvidence
        {
            Metric = "error_rate", Scale = "difference", CanaryN = 500, StableN = 5000, Estimate = 0.0, Lower = -0.004, Upper = 0.020004,
            Tolerance = 0.02, ToleranceText = "max_increase 0.02", Verdict = "unclear", Alpha = 0.0125,
        };

        Assert.Equal("+0.0000 [-0.0040, +0.020004]", e.IntervalText());
    }

    // Trial steps #5: the status table's interval cell printed "[-0.0027, +0.0100]" beside "max_increase 0.01" and "safe"
    // for an upper bound of 0.00997; the cell (rollout and shadow status, the dashboard) sets its bounds against the
    // tolerance as the interval text does.
    [Fact]
    public void BoundsText_BoundsJustInsideTheTolerance_PrintTheDigitsThatShowTheirSide()
    {
        var difference = new MetricEvidence
        {
            Metric = "error_rate", Scale = "difference", CanaryN = 500, StableN = 5000, Estimate = 0.0, Lower = -0.0027, Upper = 0.00997,
            Tolerance = 0.01, ToleranceText = "max_increase 0.01", Verdict = "safe", Alpha = 0.0125,
        };
        var ratio = difference with { Metric = "latency", Scale = "ratio", Lower = 0.9, Upper = 1.2499996, Tolerance = 1.25, ToleranceText = "max_ratio 1.25" };

        Assert.Equal("[-0.0027, +0.00997]", difference.BoundsText());
        Assert.Equal("[×0.900, ×1.2499996]", ratio.BoundsText());
    }

    [Fact]
    public void IntervalText_RatioBoundsEitherSideOfMaxRatio_PrintTheirSide()
    {
        var e = new MetricEvidence
        {
            Metric = "latency", Scale = "ratio", CanaryN = 500, StableN = 5000, Estimate = 1.1, Lower = 0.98, Upper = 1.2500004,
            Tolerance = 1.25, ToleranceText = "max_ratio 1.25", Verdict = "unclear", Alpha = 0.0125,
        };

        Assert.Equal("×1.100 [×0.980, ×1.2500004]", e.IntervalText());
    }

    [Theory]
    [InlineData("error_rate", "max_increase 0.00005")]
    [InlineData("online_score", "max_drop 0.03")]
    [InlineData("latency", "max_ratio 1.25")]
    public void ToleranceText_EveryDigitTheManifestGave(string metric, string expected)
    {
        var tolerance = new MetricTolerance { MaxIncrease = 0.00005, MaxDrop = 0.03, MaxRatio = 1.25 };

        Assert.Equal(expected, MetricRule.From(metric, tolerance).ToleranceText);
    }

    [Theory]
    [InlineData(1657, 4721L, "1657 (4721 before cap)")]
    [InlineData(1920, 1920L, "1920")]
    [InlineData(1920, null, "1920")]
    public void CountText_JudgedAndBeforeCap_ShowsTheCapOnlyWhenItRemovedSome(long n, long? beforeCap, string expected) =>
        Assert.Equal(expected, MetricEvidence.CountText(n, beforeCap));
}
