namespace Glidepath.Evals.Gate;

/// <summary>
/// Confidence interval for the mean per-case score difference (candidate − baseline) by a seeded paired
/// randomization (sign-flip) test, inverted. Each case enters once, as the difference of its two sides'
/// mean scores over their trials: the trial noise is already inside that difference. When nothing
/// changed, a case's two sides are exchangeable, so its difference is as likely to be +d as −d; flipping
/// the signs of a random subset of cases gives the null distribution exactly, for any suite size and any
/// mix of stable and flaky cases. Inverting the test for every shift θ gives bounds that are quantiles of
/// the means of random subsets of the cases (Hartigan's typical values).
/// </summary>
/// <remarks>
/// A percentile bootstrap over cases was measured first (bench/Glidepath.Bench.GateSim): with few flaky
/// cases among stable ones it under-covers, and its one-sided tail fired up to twice the nominal rate.
/// The randomization bound does not: P(whole interval below 0 | nothing changed) ≤ (1 − confidence) / 2.
/// </remarks>
public static class PairedRandomization
{
    public readonly record struct Interval(double Mean, double Low, double High);

    /// <param name="differences">Per case, the candidate's mean score over its trials minus the baseline's (scores in [0, 1]).</param>
    /// <param name="confidence">Two-sided coverage of the interval; each tail holds (1 − confidence) / 2.</param>
    /// <param name="seed">Fixes the random subsets: the same differences always give the same interval.</param>
    /// <param name="resamples">Random sign flips; at least 1 / tail − 1 of them, or no bound could ever exclude a value.</param>
    public static Interval MeanDifference(IReadOnlyList<double> differences, double confidence, int seed, int resamples = 2000)
    {
        var n = differences.Count;
        if (n == 0 || differences.All(d => d == 0))
        {
            // Nothing moved: no sign flip can move anything either.
            return new Interval(0, 0, 0);
        }

        var tail = (1 - confidence) / 2;
        if ((resamples + 1) * tail < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), $"{resamples} resamples cannot resolve a tail of {tail}");
        }

        // k: how many resampled means may lie beyond a bound before the test rejects it (p = (1 + count) / (B + 1)).
        var k = 0;
        while ((1.0 + k) / (resamples + 1) <= tail)
        {
            k++;
        }

        // Cases that did not move only add to a subset's size: draw how many of them fall in it, not each one.
        var moved = differences.Where(d => d != 0).ToArray();
        var still = n - moved.Length;
        var random = new Random(seed);
        var means = new List<double>(resamples);
        var empty = 0;
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            var count = 0;
            ulong bits = 0;
            var left = 0;
            foreach (var d in moved)
            {
                if (left == 0)
                {
                    bits = (ulong)random.NextInt64();
                    left = 63;
                }

                if ((bits & 1) != 0)
                {
                    sum += d;
                    count++;
                }

                bits >>= 1;
                left--;
            }

            for (var z = still; z > 0; z -= 63)
            {
                var take = Math.Min(z, 63);
                count += System.Numerics.BitOperations.PopCount((ulong)random.NextInt64() & ((1UL << take) - 1));
            }

            // Flipping no sign reproduces the observation: it counts against rejection in both tails.
            if (count == 0)
            {
                empty++;
            }
            else
            {
                means.Add(Exact(sum / count));
            }
        }

        means.Sort();
        var mean = Exact(differences.Average());

        // An unbounded side (too few cases to exclude anything) is shown as the widest possible difference.
        var high = empty >= k ? 1 : means[means.Count - (k - empty)];
        var low = empty >= k ? -1 : means[k - empty - 1];
        return new Interval(mean, Math.Max(-1, low), Math.Min(1, high));
    }

    // Pass rates make many subset means tie exactly (0, or exactly −max_mean_drop); summing in floating point
    // would leave them a hair below and turn ties, which must count against rejection, into rejections.
    private static double Exact(double value) => Math.Round(value, 9) + 0.0;
}
