using System.Globalization;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Gate;

/// <summary>
/// Decides a gate from both sides' trials. Per case: with one trial a side, passed on the baseline and
/// failed on the candidate is a regression; with more, the candidate's pass count must be lower with
/// one-sided Fisher significance at the configured confidence. Overall: the mean score difference with a
/// seeded paired bootstrap interval; the change is blocked when the whole interval lies below
/// −max_mean_drop (a proven drop beyond the tolerance) or when regressions exceed max_case_regressions.
/// Fail-closed: any errored trial, or no case at all, makes the verdict an error.
/// </summary>
public static class GateEvaluator
{
    public static GateDecision Decide(IReadOnlyList<GateCaseInput> cases, GateRule rule)
    {
        var alpha = 1 - rule.Confidence;
        var comparisons = new List<CaseComparison>(cases.Count);
        var errors = new List<GateError>();
        var baseScores = new List<double[]>();
        var candScores = new List<double[]>();
        foreach (var c in cases)
        {
            errors.AddRange(c.Baseline.Where(t => t.Status == TrialStatus.Error).Select(t => new GateError("baseline", c.CaseId, t.Trial, t.Error ?? "error")));
            errors.AddRange(c.Candidate.Where(t => t.Status == TrialStatus.Error).Select(t => new GateError("candidate", c.CaseId, t.Trial, t.Error ?? "error")));
            comparisons.Add(Compare(c, alpha));
            if (c.Baseline.Count > 0 && c.Candidate.Count > 0)
            {
                baseScores.Add(c.Baseline.Select(t => t.Score ?? 0).ToArray());
                candScores.Add(c.Candidate.Select(t => t.Score ?? 0).ToArray());
            }
        }

        var ci = PairedBootstrap.MeanDifference(baseScores, candScores, rule.Confidence, rule.Seed, rule.Resamples);
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
        };
    }

    private static CaseComparison Compare(GateCaseInput c, double alpha)
    {
        int bp = c.Baseline.Count(t => t.Status == TrialStatus.Pass), bn = c.Baseline.Count;
        int cp = c.Candidate.Count(t => t.Status == TrialStatus.Pass), cn = c.Candidate.Count;
        double? p = null;
        CaseChange change;
        if (bn == 0 || cn == 0 || c.Baseline.Concat(c.Candidate).Any(t => t.Status == TrialStatus.Error))
        {
            change = CaseChange.Error;
        }
        else if (bn == 1 && cn == 1)
        {
            change = bp > cp ? CaseChange.Regressed : cp > bp ? CaseChange.Improved : CaseChange.Same;
        }
        else
        {
            p = FisherExact.PLess(bp, bn, cp, cn);
            change = p < alpha ? CaseChange.Regressed
                : FisherExact.PGreater(bp, bn, cp, cn) < alpha ? CaseChange.Improved
                : CaseChange.Same;
        }

        // Show the most telling answers: a failing candidate trial and a passing baseline trial when there are.
        var cand = c.Candidate.FirstOrDefault(t => t.Status != TrialStatus.Pass) ?? c.Candidate.FirstOrDefault();
        var baseT = c.Baseline.FirstOrDefault(t => t.Status == TrialStatus.Pass) ?? c.Baseline.FirstOrDefault();
        return new CaseComparison
        {
            CaseId = c.CaseId,
            BaselinePasses = bp,
            BaselineTrials = bn,
            CandidatePasses = cp,
            CandidateTrials = cn,
            BaselineScore = bn == 0 ? 0 : c.Baseline.Average(t => t.Score ?? 0),
            CandidateScore = cn == 0 ? 0 : c.Candidate.Average(t => t.Score ?? 0),
            PValue = p,
            Change = change,
            BaselineOutput = baseT?.Display ?? "",
            CandidateOutput = cand?.Display ?? "",
            CandidateReason = cand is null ? "" : cand.Error ?? string.Join("; ", cand.Scores.Where(s => s.Applicable && !s.Passed).Select(s => $"{s.Scorer}: {s.Reason}")),
            Tags = c.Tags,
        };
    }
}
