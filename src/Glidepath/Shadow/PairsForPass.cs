using System.Globalization;
using Glidepath.Rollouts;
using Glidepath.Traces;
using Glidepath.Views;

namespace Glidepath.Shadow;

/// <summary>
/// The fewest pairs at which the paired judge says pass for a candidate as good as stable, in the best case the judge
/// allows: every input answered alike by both (no error on either side, the same latency, cost and online score, a tie
/// from the pairwise judge), the pairs spread evenly over the subject groups. Found by asking the judge itself at growing
/// numbers of pairs, then bisecting — not by a formula — so it stays true when the judge changes. A real candidate as
/// good as stable needs at least as many (its latency and cost differences vary; a bounded metric's safe side is
/// already at its floor, the variance of a difference equal to the tolerance); only one better than stable can pass
/// sooner. Trial shadowcaps #4: under the sample plan a perfect candidate was still collecting at 766 pairs, while
/// <c>shadow start</c> warned only below <c>min_requests</c> (200).
/// </summary>
/// <param name="Pairs">The fewest pairs for a pass; null when none up to <see cref="Limit"/> passes (a tolerance of 0).</param>
/// <param name="BoundBy">What holds the pass back with one pair fewer: the metrics still unclear, with their tolerances
/// ("error_rate max_increase 0.01"), or the plan's <c>rollout.step.min_requests</c> or <c>min_subjects</c>.</param>
public sealed record PairsForPass(long? Pairs, string BoundBy)
{
    /// <summary>Beyond this many pairs the search stops and says no pass is reachable.</summary>
    public const long Limit = 1_000_000_000_000;

    /// <summary>
    /// The figure for <paramref name="judge"/>. <paramref name="scored"/>: the pairs carry both answers' online scores
    /// (the manifest's online scoring is on), so online_score and online_pass_rate are judged rather than without data.
    /// </summary>
    public static PairsForPass For(PairedJudge judge, bool scored)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var pair = BestCase(judge.Policy, scored);
        bool Passes(long n) => judge.Classify(Sample(pair, n)) == PairedOutcome.Pass;

        // The judge's interval narrows as pairs grow, so the first pass found by doubling and then bisecting is the fewest.
        long failed = 0, passed = Math.Max(judge.Policy.MinPairs, 1);
        while (!Passes(passed))
        {
            failed = passed;
            passed *= 2;
            if (passed > Limit)
            {
                return new PairsForPass(null, Holding(judge, pair, Limit));
            }
        }

        while (passed - failed > 1)
        {
            var mid = failed + ((passed - failed) / 2);
            if (Passes(mid))
            {
                passed = mid;
            }
            else
            {
                failed = mid;
            }
        }

        return new PairsForPass(passed, Holding(judge, pair, passed - 1));
    }

    /// <summary>
    /// The note for a shadow started with <paramref name="maxRequests"/> (null: no request cap), or null when its cap
    /// leaves room for a pass: with fewer pairs than a pass needs it can show harm but cannot pass a candidate as good as stable.
    /// </summary>
    public string? CapNote(long? maxRequests)
    {
        if (Pairs is not { } needed)
        {
            return $"no number of pairs can pass a candidate as good as stable under this plan ({BoundBy} bounds it): this shadow can show harm but cannot pass; widen that tolerance in the manifest's rollout: to judge a pass";
        }

        return maxRequests is { } cap && cap < needed
            ? string.Create(CultureInfo.InvariantCulture,
                $"--max-requests {cap} is below the {needed} pairs a pass needs under this plan, even for a candidate as good as stable with no error on either side ({BoundBy} bounds it): this shadow can show harm but cannot pass; raise --max-requests to at least {needed}")
            : null;
    }

    /// <summary>The margin the cost cap a <see cref="CostCapNote"/> suggests adds to the pairs' cost, for the candidate's own cost.</summary>
    public const double CostCapMargin = 0.05;

    /// <summary>
    /// The note for a shadow whose cost cap <paramref name="maxCostUsd"/> pays for fewer pairs than a pass needs at
    /// <paramref name="costPerCall"/> (the stable release's recent cost per answered call: an estimate of the candidate's),
    /// or null when it pays for enough, or the cost is unknown. The pairs a cap pays for are whole ones (a cap of
    /// 0.0215 pays for 204.8 of 205 pairs: 204, too few); the cap suggested is that cost plus <see cref="CostCapMargin"/>,
    /// rounded up to three significant figures, and the note says so.
    /// </summary>
    public string? CostCapNote(double maxCostUsd, double costPerCall, string costSource)
    {
        if (Pairs is not { } needed || !(costPerCall > 0) || !double.IsFinite(costPerCall) || !(maxCostUsd > 0))
        {
            return null;
        }

        // Whole pairs: 204.8 is 204, short of 205. The cost per call is a mean of binary sums, so 499.9999999 is 500.
        var affordable = Math.Floor(Math.Round(maxCostUsd / costPerCall, 6));
        if (affordable >= needed)
        {
            return null;
        }

        var enough = RoundUp(needed * costPerCall * (1 + CostCapMargin), significantFigures: 3);
        // Below one call's cost (outside trial: "about 0 pairs"): the shadow mirrors only its first call or few, whose cost
        // passes the cap at once (each gateway's calls in flight when it is reached).
        var pays = affordable == 0 ? "pays for no pair" : string.Create(CultureInfo.InvariantCulture, $"pays for about {affordable:0} pairs");
        var below = affordable == 0 ? "; below one call's cost, the shadow stops after its first call or few, whose cost passes the cap" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"--max-cost-usd {Figures.Usd(maxCostUsd)[1..]} {pays} at {Figures.Usd(costPerCall)} a call ({costSource}; the candidate's own cost may differ), below the {needed} pairs a pass needs under this plan, even for a candidate as good as stable with no error on either side ({BoundBy} bounds it): this shadow can show harm but likely cannot pass; raise --max-cost-usd to about {Figures.Usd(enough)[1..]} ({needed} pairs at {Figures.Usd(costPerCall)} a call, plus {CostCapMargin:0%} for the candidate's own cost, rounded up to 3 significant figures){below}");
    }

    /// <summary><paramref name="value"/> (&gt; 0) rounded up to <paramref name="significantFigures"/> significant figures.</summary>
    internal static double RoundUp(double value, int significantFigures)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(value)) - significantFigures + 1);
        var steps = Math.Ceiling(Math.Round(value / step, 9)); // 226.0000000001 steps is 226: the division's binary error is no step
        return Math.Round(steps * step, Math.Clamp(-(int)Math.Floor(Math.Log10(step)), 0, 15)); // 0.0226, not 0.022600000000000002
    }

    /// <summary>What <c>shadow status</c> adds to a collecting decision on <paramref name="judgedPairs"/> pairs, or null once they reach the figure.</summary>
    public string? CollectingNote(long judgedPairs) => Pairs switch
    {
        null => $"no number of pairs can pass a candidate as good as stable under this plan ({BoundBy} bounds it)",
        { } needed when judgedPairs < needed => string.Create(CultureInfo.InvariantCulture, $"a pass needs at least {needed} pairs under this plan ({BoundBy} bounds it)"),
        _ => null,
    };

    private static ShadowPair BestCase(PairedJudgePolicy policy, bool scored)
    {
        var pairwise = policy.Rules.Any(r => r.Name == PairedSample.PairwiseMetric);
        return new ShadowPair(
            Group: 0, StableError: false, CandidateError: false, StableLatencyMs: 1000, CandidateLatencyMs: 1000,
            StableCost: 0.001, CandidateCost: 0.001,
            StablePassed: scored ? true : null, CandidatePassed: scored ? true : null,
            StableScore: scored ? 1 : null, CandidateScore: scored ? 1 : null,
            CandidatePreference: pairwise ? 0.5 : null);
    }

    /// <summary><paramref name="n"/> copies of <paramref name="pair"/>, dealt round-robin over the subject groups (the first n mod 64 groups get one more).</summary>
    internal static PairedSample Sample(in ShadowPair pair, long n)
    {
        var sample = new PairedSample();
        for (var g = 0; g < SubjectGroups.Count; g++)
        {
            var count = (n / SubjectGroups.Count) + (g < n % SubjectGroups.Count ? 1 : 0);
            sample.Add(pair with { Group = g }, count);
        }

        return sample;
    }

    private static string Holding(PairedJudge judge, in ShadowPair pair, long n)
    {
        var sample = Sample(pair, n);
        var open = judge.Policy.Rules
            .Where(r => judge.Assess(r, sample).Verdict is not (MetricVerdict.Safe or MetricVerdict.NoData))
            .Select(r => $"{r.Name} {r.ToleranceText}")
            .ToList();
        if (open.Count > 0 && sample.EffectiveSubjects >= judge.Policy.MinSubjects)
        {
            return string.Join(", ", open);
        }

        return n < judge.Policy.MinPairs
            ? string.Create(CultureInfo.InvariantCulture, $"rollout.step.min_requests {judge.Policy.MinPairs}")
            : string.Create(CultureInfo.InvariantCulture, $"rollout.step.min_subjects {judge.Policy.MinSubjects}");
    }
}
