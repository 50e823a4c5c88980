using System.Globalization;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

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
    public static GateDecision Decide(IReadOnlyList<GateCaseInput> cases, GateRule rule)
    {
        var familyAlpha = (1 - rule.Confidence) / 2;
        var errors = new List<GateError>();
        var counts = new List<CaseCounts>(cases.Count);
        var differences = new List<double>(cases.Count);
        foreach (var c in cases)
        {
            errors.AddRange(c.Baseline.Where(t => t.Status == TrialStatus.Error).Select(t => new GateError("baseline", c.CaseId, t.Trial, t.Error ?? "error")));
            errors.AddRange(c.Candidate.Where(t => t.Status == TrialStatus.Error).Select(t => new GateError("candidate", c.CaseId, t.Trial, t.Error ?? "error")));
            counts.Add(new CaseCounts(
                c.Baseline.Count(t => t.Status == TrialStatus.Pass), c.Baseline.Count,
                c.Candidate.Count(t => t.Status == TrialStatus.Pass), c.Candidate.Count,
                c.Baseline.Concat(c.Candidate).Any(t => t.Status == TrialStatus.Error)));
            if (c.Baseline.Count > 0 && c.Candidate.Count > 0)
            {
                differences.Add(c.Candidate.Average(t => t.Score ?? 0) - c.Baseline.Average(t => t.Score ?? 0));
            }
        }

        var family = CaseFamily.Correct(counts, familyAlpha);
        var comparisons = cases.Select((c, i) => CaseView.Of(c, counts[i], Change(counts[i], family, i, familyAlpha), family.PValues[i], family.AdjustedWorse[i])).ToList();
        var ci = PairedRandomization.MeanDifference(differences, rule.Confidence, rule.Seed, rule.Resamples);
        var reasons = new List<string>();
        var regressions = comparisons.Count(c => c.Change == CaseChange.Regressed);
        var missing = cases.Count(c => c.Baseline.Count == 0 || c.Candidate.Count == 0);
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
                    $"mean score dropped by {-ci.Mean:0.###} ({rule.Confidence:0%} interval {ci.Low:+0.###;-0.###;0} to {ci.High:+0.###;-0.###;0}), beyond the allowed {rule.MaxMeanDrop:0.###}"));
            }

            result = reasons.Count == 0 ? GateResult.Pass : GateResult.Blocked;
            if (result == GateResult.Pass)
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the baseline is held: {regressions} regression(s), mean difference {ci.Mean:+0.###;-0.###;0}"));
            }
        }

        var all = cases.SelectMany(c => c.Baseline).ToList();
        var allCand = cases.SelectMany(c => c.Candidate).ToList();
        return new GateDecision
        {
            Result = result,
            Reasons = reasons,
            Cases = comparisons,
            Errors = errors,
            MeanDifference = ci.Mean,
            CiLow = ci.Low,
            CiHigh = ci.High,
            Confidence = rule.Confidence,
            BaselinePassRate = all.Count == 0 ? 0 : (double)all.Count(t => t.Status == TrialStatus.Pass) / all.Count,
            CandidatePassRate = allCand.Count == 0 ? 0 : (double)allCand.Count(t => t.Status == TrialStatus.Pass) / allCand.Count,
            Trials = cases.Count == 0 ? 0 : cases.Max(c => Math.Max(c.Baseline.Count, c.Candidate.Count)),
            Rule = rule,
            Correction = family.Correction,
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
