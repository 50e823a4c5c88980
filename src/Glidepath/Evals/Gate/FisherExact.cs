namespace Glidepath.Evals.Gate;

/// <summary>Fisher's exact test on a 2×2 table of passes and failures, one-sided.</summary>
public static class FisherExact
{
    /// <summary>
    /// P(candidate passes ≤ observed) given the margins: small when the candidate passes significantly
    /// less often than the baseline.
    /// </summary>
    public static double PLess(int baselinePasses, int baselineTrials, int candidatePasses, int candidateTrials)
    {
        Validate(baselinePasses, baselineTrials);
        Validate(candidatePasses, candidateTrials);
        var total = baselineTrials + candidateTrials;
        var passes = baselinePasses + candidatePasses;
        var lo = Math.Max(0, passes - baselineTrials);
        var denominator = LogChoose(total, candidateTrials);
        var p = 0.0;
        for (var x = lo; x <= candidatePasses; x++)
        {
            p += Math.Exp(LogChoose(passes, x) + LogChoose(total - passes, candidateTrials - x) - denominator);
        }

        return Math.Min(1, p);
    }

    /// <summary>P(candidate passes ≥ observed): small when the candidate is significantly better.</summary>
    public static double PGreater(int baselinePasses, int baselineTrials, int candidatePasses, int candidateTrials) =>
        PLess(baselineTrials - baselinePasses, baselineTrials, candidateTrials - candidatePasses, candidateTrials);

    private static void Validate(int passes, int trials)
    {
        if (trials < 1 || passes < 0 || passes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(passes), $"{passes} passes of {trials} trials");
        }
    }

    private static double LogChoose(int n, int k) => k < 0 || k > n ? double.NegativeInfinity : LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        var sum = 0.0;
        for (var i = 2; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }
}
