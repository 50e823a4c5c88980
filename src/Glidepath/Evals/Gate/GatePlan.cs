namespace Glidepath.Evals.Gate;

/// <summary>
/// How likely the gate is to flag one case whose pass rate truly falls, at a number of trials, for a
/// suite of this size and confidence: computed exactly over every outcome of both sides' trials
/// (binomial), with the case flagged when its one-sided Fisher p-value clears the corrected threshold.
/// The discrete Holm threshold for the first flag lies between two exact bounds, both given: every case
/// in the suite flaky (the Bonferroni threshold α / cases, the least power) and every other case stable
/// (no other case can reach significance, so the case gets all of α, the most power).
/// </summary>
public sealed record GatePlan(int Cases, double Confidence)
{
    /// <summary>The family-wise α the cases share: (1 − confidence) / 2.</summary>
    public double FamilyAlpha => (1 - Confidence) / 2;

    /// <summary>The probability of flagging the case when every case in the suite is flaky (a lower bound).</summary>
    public double PowerAtLeast(double from, double to, int trials) => Power(from, to, trials, FamilyAlpha / Math.Max(1, Cases));

    /// <summary>The probability of flagging the case when every other case always passes (an upper bound).</summary>
    public double PowerAtMost(double from, double to, int trials) => Power(from, to, trials, FamilyAlpha);

    /// <summary>The fewest trials (2 to <paramref name="maxTrials"/>) reaching <paramref name="power"/>, or null.</summary>
    public int? TrialsNeeded(double from, double to, double power, bool everyCaseFlaky, int maxTrials = 200)
    {
        for (var n = 2; n <= maxTrials; n++)
        {
            if ((everyCaseFlaky ? PowerAtLeast(from, to, n) : PowerAtMost(from, to, n)) >= power)
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>P(one-sided Fisher p ≤ threshold) when the baseline passes at <paramref name="from"/> and the candidate at <paramref name="to"/>.</summary>
    public static double Power(double from, double to, int trials, double threshold)
    {
        if (from is < 0 or > 1 || to is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(from), "pass rates are between 0 and 1");
        }

        if (trials < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(trials), "Fisher's test needs more than one trial a side");
        }

        var baseline = Binomial(trials, from);
        var candidate = Binomial(trials, to);
        var power = 0.0;
        for (var passes = 0; passes <= 2 * trials; passes++)
        {
            var cumulative = FisherExact.CumulativeLess(trials, trials, passes);
            for (var c = Math.Max(0, passes - trials); c <= Math.Min(trials, passes); c++)
            {
                if (cumulative[c] <= threshold)
                {
                    power += baseline[passes - c] * candidate[c];
                }
            }
        }

        return Math.Min(1, power);
    }

    private static double[] Binomial(int n, double p)
    {
        var pmf = new double[n + 1];
        if (p <= 0 || p >= 1)
        {
            pmf[p <= 0 ? 0 : n] = 1;
            return pmf;
        }

        for (var k = 0; k <= n; k++)
        {
            pmf[k] = Math.Exp(FisherExact.LogChoose(n, k) + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p)));
        }

        return pmf;
    }
}
