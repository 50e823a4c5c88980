namespace Glidepath.Evals.Gate;

/// <summary>
/// Confidence interval for the mean per-case score difference (candidate − baseline), by a seeded
/// two-level bootstrap: cases are resampled, then each side's trials within a case, so that both the
/// spread between cases and the non-determinism of each case widen the interval.
/// </summary>
public static class PairedBootstrap
{
    public readonly record struct Interval(double Mean, double Low, double High);

    /// <param name="baseline">Per case, the baseline's trial scores.</param>
    /// <param name="candidate">Per case (same order), the candidate's trial scores.</param>
    public static Interval MeanDifference(IReadOnlyList<double[]> baseline, IReadOnlyList<double[]> candidate, double confidence, int seed, int resamples = 2000)
    {
        if (baseline.Count != candidate.Count)
        {
            throw new ArgumentException("baseline and candidate must list the same cases");
        }

        var n = baseline.Count;
        if (n == 0)
        {
            return new Interval(0, 0, 0);
        }

        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += candidate[i].Average() - baseline[i].Average();
        }

        mean /= n;
        var random = new Random(seed);
        var stats = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                var i = random.Next(n);
                sum += Resampled(candidate[i], random) - Resampled(baseline[i], random);
            }

            stats[b] = sum / n;
        }

        Array.Sort(stats);
        var tail = (1 - confidence) / 2;
        return new Interval(mean, Quantile(stats, tail), Quantile(stats, 1 - tail));
    }

    private static double Resampled(double[] trials, Random random)
    {
        if (trials.Length == 1)
        {
            return trials[0];
        }

        var sum = 0.0;
        for (var k = 0; k < trials.Length; k++)
        {
            sum += trials[random.Next(trials.Length)];
        }

        return sum / trials.Length;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (pos - lo));
    }
}
