using Glidepath.Manifests;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// How a subject group left out of the harm side is said, and when none is: outside trial mirror (M2: an estimate outside
/// its printed interval read as a contradiction; L2: a group left out of a metric with no spread) and its review (L2: a
/// share of 99.5% or more printed as 100%).
/// </summary>
public sealed class JudgeLeftOutTextTests
{
    private static MetricEvidence Evidence(string scale, string toleranceText, double tolerance, double estimate, double lower, double upper, double harmSide, double? canaryShare, double? stableShare) => new()
    {
        Metric = "m", Scale = scale, CanaryN = 500, StableN = 900, Estimate = estimate, Lower = lower, Upper = upper,
        HarmSideEstimate = harmSide, LeftOutCanaryShare = canaryShare, LeftOutStableShare = stableShare,
        Tolerance = tolerance, ToleranceText = toleranceText, Verdict = "harm", Alpha = 0.025,
    };

    [Fact]
    public void IntervalText_IncreaseWithTheReferencesGroupLeftOut_NamesTheLowerBoundAndWhatItIsAround()
    {
        var e = Evidence("difference", "max_increase 0.01", 0.01, 0.0055, 0.0102, 0.0735, 0.0379, null, 0.98);

        Assert.Equal("+0.0055 [+0.0102, +0.0735] (lower bound around +0.0379, without one subject group holding 98% of the reference's spread)", e.WindowIntervalText());
        Assert.Equal("+0.0055 (lower bound around +0.0379 without one subject group)", e.EstimateText());
    }

    [Fact]
    public void IntervalText_DropWithTheCanarysGroupLeftOut_NamesTheUpperBound()
    {
        var e = Evidence("difference", "max_drop 0.03", -0.03, -0.02, -0.09, -0.035, -0.05, 0.7, null);

        Assert.Equal("-0.0200 [-0.0900, -0.0350] (upper bound around -0.0500, without one subject group holding 70% of the canary's spread)", e.IntervalText());
    }

    [Theory]
    [InlineData(0.9949, "99%")]
    [InlineData(0.995, "over 99%")]
    [InlineData(1.0, "over 99%")]
    public void IntervalText_ShareNearAll_NeverReadsAsAllOfIt(double share, string said)
    {
        var e = Evidence("ratio", "max_ratio 1.25", 1.25, 1.227, 1.256, 1.588, 1.312, share, null);

        Assert.Contains($"holding {said} of the canary's spread", e.IntervalText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_EveryCallCostsTheSame_NoGroupLeftOut()
    {
        // Trial mirror L2: cost_per_call ×1.000 [×1.000, ×1.000] with left_out_canary_share 0.61 — the "spread" was rounding.
        var judge = new Judge(JudgePolicy.From(new RolloutPlan
        {
            MinRequests = 200,
            Metrics = new Dictionary<string, MetricTolerance> { ["cost_per_call"] = new() { MaxRatio = 1.15 } },
        }));
        var rule = judge.Policy.Rules.Single();

        var assessment = judge.Assess(rule, SameCost(0.1), SameCost(0.1));

        Assert.Equal(MetricVerdict.Safe, assessment.Verdict);
        Assert.True(double.IsNaN(assessment.HarmSideEstimate), $"harm side {assessment.HarmSideEstimate}, canary share {assessment.LeftOutCanaryShare}");
        Assert.Null(assessment.ToEvidence(judge.Policy.AlphaPerMetric).LeftOutCanaryShare);
    }

    /// <summary>
    /// 63 groups of 10 answered calls and one busier group of 30 (within the cap of three median groups), every call costing
    /// <paramref name="cost"/>: the busier group's sum carries the most rounding, and without the guard it "held" 70% of a
    /// spread of 1e-15s (the residuals of 0.1 added up in binary).
    /// </summary>
    private static ArmSample SameCost(double cost)
    {
        var groups = new ArmSample[SubjectGroups.Count];
        var total = default(ArmSample);
        for (var g = 0; g < groups.Length; g++)
        {
            var group = default(ArmSample);
            for (var i = 0; i < (g == 0 ? 30 : 10); i++)
            {
                group = ArmSample.Add(group, new ArmSample { Requests = 1, LatencyCount = 1, LogLatencySum = Math.Log(300), LogLatencySquares = Math.Log(300) * Math.Log(300), CostSum = cost, CostSquares = cost * cost });
            }

            groups[g] = group;
            total = ArmSample.Add(total, group);
        }

        return total with { Groups = groups };
    }
}
