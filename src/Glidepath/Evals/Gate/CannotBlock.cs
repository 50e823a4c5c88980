using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// A passing gate that could not have blocked the cases that scored lower on the candidate: had every one of them gone from
/// all baseline trials passing to all candidate trials failing (the most extreme outcome at these trial counts), the per-case
/// correction would still have named none of them, and too few cases moved for the mean rule's interval to lie wholly below
/// −max_mean_drop whatever they scored. The pass then says nothing about those cases; more trials would.
/// </summary>
/// <param name="Message">One sentence for every report: what could not be seen, why, and the fix.</param>
/// <param name="CasesLower">How many cases scored lower on the candidate and could not have been named.</param>
/// <param name="Examples">The first of them (at most <see cref="MaxExamples"/>), in dataset order.</param>
public sealed record CannotBlock(string Message, int CasesLower, IReadOnlyList<string> Examples)
{
    public const int MaxExamples = 10;

    /// <summary>
    /// Null unless the verdict is a pass, some case scored lower on the candidate and neither rule could have named it. Exact
    /// for the rule as it runs. Per case: the same correction over the suite as observed, with every lower case put at its most
    /// extreme outcome (alone, a case needs Fisher's p of that outcome ≤ the family's α; with others beside it, their sum).
    /// Mean: the same seeded sign flips over the most extreme differences (every moved case at −1), which bound every subset
    /// mean from below, so no outcome of the cases that moved could have put the interval lower.
    /// </summary>
    internal static CannotBlock? Find(GateResult result, IReadOnlyList<CaseTally> cases, IReadOnlyList<CaseCounts> counts, GateRule rule, double familyAlpha)
    {
        if (result != GateResult.Pass)
        {
            return null;
        }

        var lower = new List<int>();
        var (scored, moved) = (0, 0);
        for (var i = 0; i < cases.Count; i++)
        {
            if (cases[i].Baseline.Scored == 0 || cases[i].Candidate.Scored == 0)
            {
                continue; // no score on a side: not in the mean difference either
            }

            scored++;
            var difference = cases[i].Candidate.MeanScore - cases[i].Baseline.MeanScore;
            moved += difference != 0 ? 1 : 0;
            if (difference < 0)
            {
                lower.Add(i);
            }
        }

        // One trial a side is the deterministic rule, which names any pass turned failure: only the tested cases can be unseen.
        if (!lower.Any(i => counts[i].Tested) || MeanRuleCanBlock(scored, moved, rule))
        {
            return null;
        }

        var extreme = counts.ToArray();
        foreach (var i in lower)
        {
            extreme[i] = extreme[i] with { BaselinePasses = extreme[i].BaselineTrials, CandidatePasses = 0 };
        }

        var family = CaseFamily.Correct(extreme, familyAlpha);
        var blind = lower.Where(i => extreme[i].Tested && family.AdjustedWorse[i] > familyAlpha).ToList();
        if (blind.Count == 0)
        {
            return null;
        }

        var first = counts[blind[0]];
        var examples = blind.Take(MaxExamples).Select(i => cases[i].CaseId).ToList();
        var named = string.Join(", ", examples.Take(5).Select(Short)) + (blind.Count > 5 ? ", …" : "");
        var trials = first.BaselineTrials == first.CandidateTrials
            ? string.Create(CultureInfo.InvariantCulture, $"{first.BaselineTrials} trials a side")
            : string.Create(CultureInfo.InvariantCulture, $"{first.BaselineTrials} baseline and {first.CandidateTrials} candidate trials");
        var them = blind.Count == 1 ? "it" : "any of them";
        var worst = WorstP(first.BaselineTrials, first.CandidateTrials);
        var odds = worst > familyAlpha
            ? $"p {PValueText.Of(worst)}{(blind.Count == 1 ? "" : " each")}, threshold {ThresholdText.Limit(familyAlpha)}"
            : $"p {PValueText.Of(worst)} each, but the correction charges them together, above the threshold {ThresholdText.Limit(familyAlpha)}";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"this gate could not have blocked the {blind.Count} case(s) that scored lower on the candidate ({named}): at {trials} the per-case test would not name {them} " +
            $"even had {(blind.Count == 1 ? "it" : "each")} gone from {first.BaselineTrials}/{first.BaselineTrials} passed to 0/{first.CandidateTrials} ({odds}), " +
            $"and only {moved} of {scored} cases moved, too few for the mean rule's {rule.Confidence:0.##%} interval to lie wholly below {(rule.MaxMeanDrop == 0 ? "0" : "-" + ThresholdText.Limit(rule.MaxMeanDrop))}. " +
            $"More trials fix it ({(blind.Count == 1 ? "such a case" : $"{blind.Count} such cases")} can be named from {TrialsToName(blind.Count, familyAlpha)} trials a side at best): " +
            $"glidepath gate --plan shows how many a given drop needs; then run glidepath gate --trials N, or raise eval.trials");
        return new CannotBlock(message, blind.Count, examples);
    }

    // A case id is the dataset's text: a long one is cut, so the sentence stays a sentence.
    private static string Short(string id) => id.Length <= 60 ? id : id[..59] + "…";

    /// <summary>Fisher's one-sided p for every baseline trial passing and every candidate trial failing: the smallest the case can have.</summary>
    private static double WorstP(int baselineTrials, int candidateTrials) => FisherExact.CumulativeLess(baselineTrials, candidateTrials, baselineTrials)[0];

    /// <summary>
    /// The fewest trials a side at which <paramref name="cases"/> cases that passed every baseline trial and failed every candidate
    /// one are named, when no other case in the suite can reach the threshold (each is charged its own p: discrete Holm).
    /// </summary>
    private static int TrialsToName(int cases, double familyAlpha)
    {
        var t = 2;
        while (t < 1000 && cases * WorstP(t, t) > familyAlpha)
        {
            t++;
        }

        return t;
    }

    /// <summary>
    /// The mean rule's interval with every moved case at −1 (the lowest each can score against a baseline): the same seed and
    /// resamples draw the same subsets, each subset's mean is then as low as any outcome makes it, and so is the upper bound.
    /// </summary>
    private static bool MeanRuleCanBlock(int scored, int moved, GateRule rule)
    {
        var differences = new double[scored];
        Array.Fill(differences, -1.0, 0, moved);
        return PairedRandomization.MeanDifference(differences, rule.Confidence, rule.Seed, rule.Resamples).High < -rule.MaxMeanDrop;
    }
}
