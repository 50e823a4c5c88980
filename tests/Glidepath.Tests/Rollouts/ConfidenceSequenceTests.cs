using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

public sealed class ConfidenceSequenceTests
{
    [Fact]
    public void Radius_MoreObservationsAtSameVarianceRate_Shrinks()
    {
        var rho = ConfidenceSequence.RhoFor(200, 0.0125);

        var small = ConfidenceSequence.Radius(1.0 / 100, 100, 0.0125, rho);
        var large = ConfidenceSequence.Radius(1.0 / 10_000, 10_000, 0.0125, rho);

        Assert.True(large < small / 5);
    }

    [Fact]
    public void Radius_NoObservations_IsInfinite()
    {
        Assert.True(double.IsPositiveInfinity(ConfidenceSequence.Radius(1, 0, 0.05, 10)));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(5000)]
    public void RhoFor_TargetN_GivesTheNarrowestRadiusThere(int otherTarget)
    {
        const double alpha = 0.0125;

        var tuned = ConfidenceSequence.Radius(1.0 / 500, 500, alpha, ConfidenceSequence.RhoFor(500, alpha));
        var other = ConfidenceSequence.Radius(1.0 / 500, 500, alpha, ConfidenceSequence.RhoFor(otherTarget, alpha));

        Assert.True(tuned < other, $"tuned {tuned} not below {other}");
    }

    [Fact]
    public void Radius_NormalMeansUnderTheNull_CoverTheTruthAtEveryLookIn99PercentOf1000Runs()
    {
        // Known-variance normal observations: the sequence must contain 0 at all of 2,000 looks in ≥ 1 − α of runs.
        const double alpha = 0.01;
        var rho = ConfidenceSequence.RhoFor(200, alpha);
        var misses = 0;
        for (var run = 0; run < 1000; run++)
        {
            var random = new Random(run);
            double sum = 0;
            for (var n = 1; n <= 2000; n++)
            {
                sum += Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                if (Math.Abs(sum / n) > ConfidenceSequence.Radius(1.0 / n, n, alpha, rho))
                {
                    misses++;
                    break;
                }
            }
        }

        Assert.True(misses <= 15, $"{misses} of 1000 runs left the sequence (α = 1%)");
    }
}
