using Glidepath.Evals.Gate;

namespace Glidepath.Tests.Evals.Gate;

public sealed class GatePlanTests
{
    [Fact]
    public void PowerAtMost_100To30Trials10_IsTheChanceOfAtMostFivePasses()
    {
        // With the family's α = 0.025 to itself, 10/10 vs k/10 is significant for k ≤ 5 (p = 0.016) and not for 6 (0.043).
        var expected = Enumerable.Range(0, 6).Sum(k => Choose(10, k) * Math.Pow(0.3, k) * Math.Pow(0.7, 10 - k));
        Assert.Equal(expected, new GatePlan(20, 0.95).PowerAtMost(1.0, 0.3, 10), 9);
    }

    [Fact]
    public void PowerAtLeast_LargerSuite_IsLowerAndNeverAboveAtMost()
    {
        var small = new GatePlan(10, 0.95);
        var large = new GatePlan(200, 0.95);
        Assert.True(large.PowerAtLeast(0.9, 0.6, 20) < small.PowerAtLeast(0.9, 0.6, 20));
        Assert.True(large.PowerAtLeast(0.9, 0.6, 20) <= large.PowerAtMost(0.9, 0.6, 20));
    }

    [Fact]
    public void TrialsNeeded_100To30In50Cases_ReachesTheRequestedPowerAndOneFewerDoesNot()
    {
        var plan = new GatePlan(50, 0.95);
        var n = plan.TrialsNeeded(1.0, 0.3, 0.8, everyCaseFlaky: true);
        Assert.NotNull(n);
        Assert.True(plan.PowerAtLeast(1.0, 0.3, n.Value) >= 0.8);
        Assert.True(plan.PowerAtLeast(1.0, 0.3, n.Value - 1) < 0.8);
    }

    private static double Choose(int n, int k) => Enumerable.Range(1, k).Aggregate(1.0, (acc, i) => acc * (n - k + i) / i);
}
