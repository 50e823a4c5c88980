namespace Glidepath.Evals.Gate;

/// <summary>
/// The per-case tests as one family: one-sided Fisher p-values for "worse" and for "better", each set
/// adjusted with <see cref="DiscreteHolm"/> so that an unchanged candidate gets any case flagged with
/// probability at most the family's α, however many cases the suite has and however flaky they are.
/// </summary>
internal static class CaseFamily
{
    /// <summary>Per case (input order): raw and adjusted p-values, null for cases outside the family.</summary>
    /// <param name="ChanceBelowAlpha">
    /// Σ over the family of the largest "worse" p-value each case can produce at or below the family's α: a bound on how many
    /// cases of an unchanged candidate show p ≤ α on average (an exact test gives P(p ≤ α) ≤ that value, given the case's margins).
    /// </param>
    public sealed record Outcome(double?[] PValues, double?[] AdjustedWorse, double?[] AdjustedBetter, CaseCorrection Correction, double ChanceBelowAlpha);

    public static Outcome Correct(IReadOnlyList<CaseCounts> counts, double familyAlpha)
    {
        var members = Enumerable.Range(0, counts.Count).Where(i => counts[i].Tested).ToList();
        var worse = new List<double>(members.Count);
        var worseAttainable = new List<double[]>(members.Count);
        var better = new List<double>(members.Count);
        var betterAttainable = new List<double[]>(members.Count);
        foreach (var i in members)
        {
            var c = counts[i];
            var less = FisherExact.CumulativeLess(c.BaselineTrials, c.CandidateTrials, c.BaselinePasses + c.CandidatePasses);
            worse.Add(less[c.CandidatePasses]);
            worseAttainable.Add(less);

            // "Better" is "fails less often": the same test on the failure counts.
            var failures = c.BaselineTrials - c.BaselinePasses + c.CandidateTrials - c.CandidatePasses;
            var fewer = FisherExact.CumulativeLess(c.BaselineTrials, c.CandidateTrials, failures);
            better.Add(fewer[c.CandidateTrials - c.CandidatePasses]);
            betterAttainable.Add(fewer);
        }

        var adjustedWorse = DiscreteHolm.Adjust(worse, worseAttainable);
        var adjustedBetter = DiscreteHolm.Adjust(better, betterAttainable);
        var p = new double?[counts.Count];
        var aw = new double?[counts.Count];
        var ab = new double?[counts.Count];
        for (var k = 0; k < members.Count; k++)
        {
            p[members[k]] = worse[k];
            aw[members[k]] = adjustedWorse[k];
            ab[members[k]] = adjustedBetter[k];
        }

        var correction = new CaseCorrection
        {
            FamilyAlpha = familyAlpha,
            Tested = members.Count,
            Testable = worseAttainable.Count(a => a.First(v => v > 0) <= familyAlpha),
            SingleTrial = counts.Count(c => c.SingleTrial),
        };
        return new Outcome(p, aw, ab, correction, worseAttainable.Sum(a => DiscreteHolm.Charge(a, familyAlpha)));
    }
}
