using Glidepath.Evals.Gate;

namespace Glidepath.Bench.GateSim;

/// <summary>
/// Per-case rules the gate does not use, measured on the same draws for comparison: the old rule
/// (each case on its own at α = 1 − confidence) and Holm's correction on mid-p values (more power on
/// discrete data than Fisher's p, but not guaranteed to hold α), and the mean rule by a percentile
/// bootstrap over cases (each case's mean difference) instead of the randomization interval.
/// </summary>
internal static class Alternatives
{
    public static bool OldRuleFlags(IReadOnlyList<GateCaseInput> cases, double alpha) =>
        Counts(cases).Any(c => c.N > 1 && FisherExact.PLess(c.Bp, c.N, c.Cp, c.N) < alpha);

    public static bool MidPHolmFlags(IReadOnlyList<GateCaseInput> cases, double familyAlpha)
    {
        // Holm flags some case exactly when its first step does: the smallest p-value times the family size.
        var p = Counts(cases).Where(c => c.N > 1).Select(c => MidP(c.Bp, c.N, c.Cp)).ToArray();
        return p.Length > 0 && p.Min() * p.Length <= familyAlpha;
    }

    /// <summary>The mean rule with a percentile bootstrap over the cases' mean differences: whole interval below zero.</summary>
    public static bool CaseBootstrapFlags(IReadOnlyList<GateCaseInput> cases, double confidence, int seed, int resamples = 2000)
    {
        var d = cases.Select(c => c.Candidate.Average(t => t.Score ?? 0) - c.Baseline.Average(t => t.Score ?? 0)).ToArray();
        var random = new Random(seed);
        var stats = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var sum = 0.0;
            for (var j = 0; j < d.Length; j++)
            {
                sum += d[random.Next(d.Length)];
            }

            stats[b] = sum / d.Length;
        }

        Array.Sort(stats);
        var pos = (1 - ((1 - confidence) / 2)) * (resamples - 1);
        var lo = (int)Math.Floor(pos);
        var high = stats[lo] + ((stats[Math.Min(resamples - 1, lo + 1)] - stats[lo]) * (pos - lo));
        return high < 0;
    }

    private static double MidP(int bp, int n, int cp)
    {
        var cumulative = FisherExact.CumulativeLess(n, n, bp + cp);
        var below = cp == 0 ? 0 : cumulative[cp - 1];
        return below + ((cumulative[cp] - below) / 2);
    }

    private static IEnumerable<(int Bp, int Cp, int N)> Counts(IReadOnlyList<GateCaseInput> cases) =>
        cases.Select(c => (c.Baseline.Count(t => t.Score == 1), c.Candidate.Count(t => t.Score == 1), c.Baseline.Count));
}
