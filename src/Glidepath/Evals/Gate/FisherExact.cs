namespace Glidepath.Evals.Gate;

/// <summary>Fisher's exact test on a 2×2 table of passes and failures, one-sided.</summary>
public static class FisherExact
{
    private static readonly double[] LogFactorials = BuildLogFactorials(4096);

    /// <summary>
    /// P(candidate passes ≤ observed) given the margins: small when the candidate passes significantly
    /// less often than the baseline.
    /// </summary>
    public static double PLess(int baselinePasses, int baselineTrials, int candidatePasses, int candidateTrials)
    {
        Validate(baselinePasses, baselineTrials);
        Validate(candidatePasses, candidateTrials);
        return CumulativeLess(baselineTrials, candidateTrials, baselinePasses + candidatePasses)[candidatePasses];
    }

    /// <summary>P(candidate passes ≥ observed): small when the candidate is significantly better.</summary>
    public static double PGreater(int baselinePasses, int baselineTrials, int candidatePasses, int candidateTrials) =>
        PLess(baselineTrials - baselinePasses, baselineTrials, candidateTrials - candidatePasses, candidateTrials);

    /// <summary>
    /// The null distribution of <see cref="PLess"/> for fixed margins: element x is the p-value when the
    /// candidate passes x times (0 below the support, 1 above it). Nondecreasing, so it is also the list
    /// of every p-value these margins can produce, which a discrete multiplicity correction counts.
    /// </summary>
    public static double[] CumulativeLess(int baselineTrials, int candidateTrials, int passes)
    {
        if (baselineTrials < 1 || candidateTrials < 1 || passes < 0 || passes > baselineTrials + candidateTrials)
        {
            throw new ArgumentOutOfRangeException(nameof(passes), $"{passes} passes over {baselineTrials} + {candidateTrials} trials");
        }

        var total = baselineTrials + candidateTrials;
        var lo = Math.Max(0, passes - baselineTrials);
        var hi = Math.Min(passes, candidateTrials);
        var denominator = LogChoose(total, candidateTrials);
        var cumulative = new double[candidateTrials + 1];
        var sum = 0.0;
        for (var x = lo; x <= candidateTrials; x++)
        {
            if (x <= hi)
            {
                sum += Math.Exp(LogChoose(passes, x) + LogChoose(total - passes, candidateTrials - x) - denominator);
            }

            // The last point of the support is certain; rounding must not leave it a hair below 1.
            cumulative[x] = x >= hi ? 1 : Math.Min(1, sum);
        }

        return cumulative;
    }

    private static void Validate(int passes, int trials)
    {
        if (trials < 1 || passes < 0 || passes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(passes), $"{passes} passes of {trials} trials");
        }
    }

    internal static double LogChoose(int n, int k) => k < 0 || k > n ? double.NegativeInfinity : LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        if (n < LogFactorials.Length)
        {
            return LogFactorials[n];
        }

        var sum = LogFactorials[^1];
        for (var i = LogFactorials.Length; i <= n; i++)
        {
            sum += Math.Log(i);
        }

        return sum;
    }

    private static double[] BuildLogFactorials(int size)
    {
        var table = new double[size];
        for (var i = 2; i < size; i++)
        {
            table[i] = table[i - 1] + Math.Log(i);
        }

        return table;
    }
}
