using Glidepath.Evals.Gate;

namespace Glidepath.Tests.Evals.Gate;

public sealed class PairedRandomizationTests
{
    [Fact]
    public void MeanDifference_UnchangedFlakyCasesAmongStableOnes_FiresNearButNotAboveItsOneSidedRate()
    {
        // 50 cases, 10 flaky at 50%, 10 trials a side, nothing changed. The old two-level bootstrap counted the
        // trial noise twice and fired 0.2–0.4%; a case bootstrap under-covers with few flaky cases. The
        // randomization bound fires at most 2.5% and, counting the noise once, not far below it.
        var random = new Random(11);
        var fired = 0;
        const int Runs = 2000;
        for (var run = 0; run < Runs; run++)
        {
            var differences = Enumerable.Range(0, 50).Select(i => i < 10 ? Mean(random, 10, 0.5) - Mean(random, 10, 0.5) : 0).ToList();
            fired += PairedRandomization.MeanDifference(differences, 0.95, run).High < 0 ? 1 : 0;
        }

        Assert.InRange(fired, 20, 60);
    }

    [Fact]
    public void MeanDifference_SameDifferencesAndSeed_SameInterval()
    {
        double[] differences = [-0.3, 0.1, 0, -0.2, 0.05, -0.1, 0, 0, -0.4, 0.2];
        Assert.Equal(PairedRandomization.MeanDifference(differences, 0.95, 5), PairedRandomization.MeanDifference(differences, 0.95, 5));
    }

    [Fact]
    public void MeanDifference_EveryCaseDropsAlike_IntervalIsThatDrop()
    {
        var interval = PairedRandomization.MeanDifference(Enumerable.Repeat(-0.2, 30).ToList(), 0.95, 1);
        Assert.Equal(-0.2, interval.Low, 12);
        Assert.Equal(-0.2, interval.High, 12);
    }

    [Fact]
    public void MeanDifference_ThreeCases_CannotExcludeAnythingAndSaysSo()
    {
        // Flipping no sign has probability 1/8 > 2.5%: three cases can never prove a mean drop.
        var interval = PairedRandomization.MeanDifference([-1, -1, -1], 0.95, 1);
        Assert.Equal(-1, interval.Low);
        Assert.Equal(1, interval.High);
    }

    private static double Mean(Random random, int trials, double rate) => Enumerable.Range(0, trials).Count(_ => random.NextDouble() < rate) / (double)trials;
}
