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

    [Theory]
    [InlineData(1657, 4721L, "1657 (4721 before cap)")]
    [InlineData(1920, 1920L, "1920")]
    [InlineData(1920, null, "1920")]
    public void CountText_JudgedAndBeforeCap_ShowsTheCapOnlyWhenItRemovedSome(long n, long? beforeCap, string expected) =>
        Assert.Equal(expected, MetricEvidence.CountText(n, beforeCap));
}
