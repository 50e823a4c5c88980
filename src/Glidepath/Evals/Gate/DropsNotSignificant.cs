using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// Cases that scored lower on the candidate with a p-value at or below the family's α (what one case tested alone would
/// need) but not after the correction over every tested case: not regressions, and the verdict does not count them, but a
/// reviewer should see them (outside trial gatejudge M4: one case of 1,000 went 8/10 → 1/10, p 0.0027, adjusted 0.038, and
/// read <c>same</c> in every report). Said on a pass and on a block; it never changes the verdict, a figure or the exit code.
/// </summary>
/// <param name="Cases">How many cases are such drops.</param>
/// <param name="Largest">The strongest of them (smallest p, then the larger drop), at most <see cref="MaxShown"/>.</param>
/// <param name="FamilyAlpha">The threshold each p-value is below: (1 − confidence) / 2.</param>
/// <param name="Tested">Cases in the correction's family.</param>
/// <param name="ExpectedByChance">
/// A bound on how many cases an unchanged candidate shows with p ≤ α on average in this suite (each tested case counts the
/// largest p-value its margins allow at or below α): with as many or more by chance alone, these may well be noise.
/// </param>
public sealed record DropsNotSignificant(int Cases, IReadOnlyList<CaseComparison> Largest, double FamilyAlpha, int Tested, double ExpectedByChance)
{
    public const int MaxShown = 5;

    /// <summary>The section's title in every report.</summary>
    public const string Title = "Largest drops not significant after correction";

    /// <summary>One sentence for every report: what these cases are, that the verdict does not count them, and what chance alone gives.</summary>
    public string Message => string.Create(CultureInfo.InvariantCulture,
        $"{Cases} case(s) scored lower on the candidate with p at or below {ThresholdText.Limit(FamilyAlpha)} on their own, but not after the correction over {Tested} tested case(s): " +
        $"not regressions, and the verdict does not count them. An unchanged candidate shows up to {ExpectedText} such case(s) on average by chance in this suite; " +
        $"more trials tell a real drop from noise (glidepath gate --plan)");

    private string ExpectedText => ExpectedByChance < 0.01 ? "under 0.01" : ExpectedByChance.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// A case's line: <c>c0042: baseline 8/10 → candidate 1/10 (p = 0.0027, adjusted 0.038)</c>. The adjusted p-value keeps
    /// enough decimals to read above the threshold.
    /// </summary>
    public string Line(CaseComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return string.Create(CultureInfo.InvariantCulture,
            $"{c.CaseId}: baseline {c.BaselinePasses}/{c.BaselineTrials} → candidate {c.CandidatePasses}/{c.CandidateTrials} (p {PText(c)}, adjusted {AdjustedText(c)})");
    }

    /// <summary>The case's p-value as the reports show it: <c>= 0.0027</c> or <c>&lt; 0.0001</c>.</summary>
    public static string PText(CaseComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var p = c.PValue ?? 1;
        return (p < 0.0001 ? "" : "= ") + PValueText.Of(p);
    }

    /// <summary>The adjusted p-value with the decimals it takes to read above <see cref="FamilyAlpha"/> (0.0250001 is not "0.025").</summary>
    public string AdjustedText(CaseComparison c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return ThresholdText.Value(c.AdjustedPValue ?? 1, FamilyAlpha, "0.####");
    }

    /// <summary>Null unless the verdict is a pass or a block and some tested case is such a drop.</summary>
    internal static DropsNotSignificant? Find(GateResult result, IReadOnlyList<CaseComparison> cases, CaseFamily.Outcome family, double familyAlpha)
    {
        if (result is not (GateResult.Pass or GateResult.Blocked))
        {
            return null;
        }

        List<CaseComparison>? drops = null;
        foreach (var c in cases)
        {
            // A regressed case is named already; one whose adjusted p is at or below α is one (the same rule as GateEvaluator).
            if (c is { Change: CaseChange.Same, PValue: { } p, AdjustedPValue: { } adjusted } && p <= familyAlpha && adjusted > familyAlpha
                && c.CandidatePasses * c.BaselineTrials < c.BaselinePasses * c.CandidateTrials)
            {
                (drops ??= []).Add(c);
            }
        }

        if (drops is null)
        {
            return null;
        }

        var largest = drops
            .OrderBy(c => c.PValue)
            .ThenByDescending(c => (double)c.BaselinePasses / c.BaselineTrials - (double)c.CandidatePasses / c.CandidateTrials)
            .Take(MaxShown)
            .ToList();
        return new DropsNotSignificant(drops.Count, largest, familyAlpha, family.Correction.Tested, family.ChanceBelowAlpha);
    }
}
