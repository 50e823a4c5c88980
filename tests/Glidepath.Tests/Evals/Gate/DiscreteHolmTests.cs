using Glidepath.Evals.Gate;

namespace Glidepath.Tests.Evals.Gate;

public sealed class DiscreteHolmTests
{
    [Fact]
    public void Adjust_CasesThatPassedEveryTrialOnBothSides_ChargeNothing()
    {
        // 10/10 → 0/10 beside 199 cases that never failed: only the dropped case can ever be significant.
        var dropped = FisherExact.CumulativeLess(10, 10, 10);
        var stable = FisherExact.CumulativeLess(10, 10, 20);
        var p = new List<double> { dropped[0] };
        var attainable = new List<double[]> { dropped };
        p.AddRange(Enumerable.Repeat(stable[10], 199));
        attainable.AddRange(Enumerable.Repeat(stable, 199));

        var adjusted = DiscreteHolm.Adjust(p, attainable);

        Assert.Equal(p[0], adjusted[0], 15);
        Assert.Equal(1.0, adjusted[1]);
    }

    [Fact]
    public void Adjust_AllCasesFlaky_NeverBelowPAndNeverAboveBonferroni()
    {
        var random = new Random(7);
        var p = new List<double>();
        var attainable = new List<double[]>();
        for (var i = 0; i < 50; i++)
        {
            int b = random.Next(3, 11), c = random.Next(0, 11);
            var cumulative = FisherExact.CumulativeLess(10, 10, b + c);
            p.Add(cumulative[c]);
            attainable.Add(cumulative);
        }

        var adjusted = DiscreteHolm.Adjust(p, attainable);

        for (var i = 0; i < p.Count; i++)
        {
            Assert.InRange(adjusted[i], p[i], Math.Min(1, 50 * p[i]) + 1e-12);
        }
    }

    [Fact]
    public void Charge_ThresholdBetweenAttainableValues_IsTheLargestValueBelowIt()
    {
        double[] attainable = [0, 0.01, 0.2, 1];
        Assert.Equal(0.01, DiscreteHolm.Charge(attainable, 0.05));
        Assert.Equal(0, DiscreteHolm.Charge(attainable, 0.005));
        Assert.Equal(1, DiscreteHolm.Charge(attainable, 1));
    }
}
