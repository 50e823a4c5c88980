using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// Decides a gate from both sides' trials, holding the chance of blocking an unchanged candidate at
/// 1 − confidence for the whole suite: half of it for the cases, half for the mean. Per case: with one
/// trial a side, passed on the baseline and failed on the candidate is a regression (the deterministic
/// rule); with more, a one-sided Fisher exact p-value, adjusted by <see cref="DiscreteHolm"/> across all
/// tested cases, must be ≤ (1 − confidence) / 2. Overall: the mean per-case score difference with a seeded
/// paired randomization interval at the confidence; blocked when the whole interval lies below −max_mean_drop
/// (one-sided (1 − confidence) / 2) or when regressions exceed max_case_regressions.
/// Fail-closed: any errored trial, or no case at all, makes the verdict an error.
/// </summary>
public static class GateEvaluator
{
    /// <summary>
    /// Decides from every trial in hand. The cases' answers are filled in for the cases that changed (regressed, improved
    /// or errored) only, as the gate does from the store.
    /// </summary>
    public static GateDecision Decide(IReadOnlyList<GateCaseInput> cases, GateRule rule)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var tallies = cases.Select(CaseTally.Of).ToList();
        var decision = DecideFromTallies(tallies, rule);
        var answers = new ShownAnswers(tallies, ShownAnswers.Changed(decision.Cases));
        for (var i = 0; i < cases.Count; i++)
        {
            foreach (var t in cases[i].Baseline)
            {
                answers.Offer(i, baseline: true, t);
            }

            foreach (var t in cases[i].Candidate)
            {
                answers.Offer(i, baseline: false, t);
            }
        }

        return decision with { Cases = answers.Apply(decision.Cases) };
    }

    /// <summary>
    /// Decides from each case's trials added up (<see cref="CaseTally"/>); the cases' answers are left empty. With
    /// <paramref name="oneRun"/> (a release gated against itself, one set of results on both sides) each errored trial is
    /// one error, not one a side (trial ciflow #5: "90 trial(s) could not be scored" of 45).
    /// </summary>
    internal static GateDecision DecideFromTallies(IReadOnlyList<CaseTally> cases, GateRule rule, bool oneRun = false)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(rule);
        var familyAlpha = (1 - rule.Confidence) / 2;
        var errors = new List<GateError>();
        var counts = new List<CaseCounts>(cases.Count);
        var differences = new List<double>(cases.Count);
        foreach (var c in cases)
        {
            if (!oneRun)
            {
                errors.AddRange(c.Baseline.Errors.Select(e => new GateError("baseline", c.CaseId, e.Trial, e.Message) { Transient = e.Transient }));
            }

            errors.AddRange(c.Candidate.Errors.Select(e => new GateError("candidate", c.CaseId, e.Trial, e.Message) { Transient = e.Transient }));
            counts.Add(c.Counts);
            // Of the scored trials only: a side whose every trial errored has no score, not a score of 0 (trial newcomer2 M2).
            if (c.Baseline.Scored > 0 && c.Candidate.Scored > 0)
            {
                differences.Add(c.Candidate.MeanScore - c.Baseline.MeanScore);
            }
        }

        var family = CaseFamily.Correct(counts, familyAlpha);
        var comparisons = cases.Select((c, i) => CaseView.Of(c, counts[i], Change(counts[i], family, i, familyAlpha), family.PValues[i], family.AdjustedWorse[i])).ToList();
        var ci = PairedRandomization.MeanDifference(differences, rule.Confidence, rule.Seed, rule.Resamples);
        var reasons = new List<string>();
        var regressions = comparisons.Count(c => c.Change == CaseChange.Regressed);
        var missing = counts.Count(c => c.BaselineTrials == 0 || c.CandidateTrials == 0);
        GateResult result;
        if (cases.Count == 0)
        {
            result = GateResult.Error;
            reasons.Add("no cases were scored: an empty gate proves nothing");
        }
        else if (errors.Count > 0 || missing > 0)
        {
            result = GateResult.Error;
            if (errors.Count > 0)
            {
                reasons.Add($"{errors.Count} trial(s) could not be scored (provider, scorer or judge error); an error is never a pass");
                if (errors.Count(e => e.Transient) is > 0 and var transient)
                {
                    // A provider outage errors every trial of the cases asked while it lasted: those are not "cases to fix" (trial gate1000 HIGH-1).
                    reasons.Add($"{transient} of them met a provider that could not be reached, timed out, was rate limited or answered with a server error: " +
                        "a resume asks them again and is expected to fix a provider outage");
                }
            }

            if (missing > 0)
            {
                reasons.Add($"{missing} case(s) have no result on one side; the run is incomplete (resume it)");
            }
        }
        else
        {
            if (regressions > rule.MaxCaseRegressions)
            {
                reasons.Add($"{regressions} case(s) regressed (allowed: {rule.MaxCaseRegressions})");
            }

            if (ci.High < -rule.MaxMeanDrop)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"mean score dropped by {-ci.Mean:0.###} ({rule.Confidence:0%} interval {ci.Low:+0.###;-0.###;0} to {ThresholdText.Value(ci.High, -rule.MaxMeanDrop, "+0.###;-0.###;0")}), beyond the allowed {ThresholdText.Limit(rule.MaxMeanDrop)}"));
            }

            result = reasons.Count == 0 ? GateResult.Pass : GateResult.Blocked;
            if (result == GateResult.Pass)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the baseline is held: {regressions} regression(s), mean difference {ci.Mean:+0.###;-0.###;0}"));
            }
        }

        // Not measured is null, not 0: a side whose every trial errored has no pass rate, and with no case scored on
        // both sides there is no difference to estimate (the errored trials' missing scores would read as a 0 to 0 interval).
        // A pass rate is of the scored trials, as every mean score is: an errored trial is in neither.
        var (baselineScored, candidateScored) = (cases.Sum(c => c.Baseline.Scored), cases.Sum(c => c.Candidate.Scored));
        var compared = cases.Any(c => c.Baseline.Scored > 0 && c.Candidate.Scored > 0);
        return new GateDecision
        {
            Result = result,
            Reasons = reasons,
            Cases = comparisons,
            Errors = errors,
            MeanDifference = compared ? ci.Mean : null,
            CiLow = compared ? ci.Low : null,
            CiHigh = compared ? ci.High : null,
            Confidence = rule.Confidence,
            BaselinePassRate = baselineScored == 0 ? null : (double)counts.Sum(c => c.BaselinePasses) / baselineScored,
            CandidatePassRate = candidateScored == 0 ? null : (double)counts.Sum(c => c.CandidatePasses) / candidateScored,
            Trials = counts.Count == 0 ? 0 : counts.Max(c => Math.Max(c.BaselineTrials, c.CandidateTrials)),
            Rule = rule,
            Correction = family.Correction,
            CannotBlock = CannotBlock.Find(result, cases, counts, rule, familyAlpha),
            AlwaysFailing = AlwaysFailing.Find(result, cases, counts),
            AlwaysErrored = AlwaysErrored.Find(result, cases, oneRun, errors),
            DropsNotSignificant = DropsNotSignificant.Find(result, comparisons, family, familyAlpha),
        };
    }

    private static CaseChange Change(CaseCounts c, CaseFamily.Outcome family, int i, double familyAlpha)
    {
        if (c.Errored || c.BaselineTrials == 0 || c.CandidateTrials == 0)
        {
            return CaseChange.Error;
        }

        if (c.SingleTrial)
        {
            return c.BaselinePasses > c.CandidatePasses ? CaseChange.Regressed : c.CandidatePasses > c.BaselinePasses ? CaseChange.Improved : CaseChange.Same;
        }

        return family.AdjustedWorse[i] <= familyAlpha ? CaseChange.Regressed
            : family.AdjustedBetter[i] <= familyAlpha ? CaseChange.Improved
            : CaseChange.Same;
    }
}
