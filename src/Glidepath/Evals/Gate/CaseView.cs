using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Gate;

/// <summary>Builds a case's <see cref="CaseComparison"/>: its counts, verdict and the most telling answers on each side.</summary>
internal static class CaseView
{
    public static CaseComparison Of(GateCaseInput c, CaseCounts counts, CaseChange change, double? pValue, double? adjusted)
    {
        // Show the most telling answers: a failing candidate trial and a passing baseline trial when there are.
        var cand = c.Candidate.FirstOrDefault(t => t.Status != TrialStatus.Pass) ?? c.Candidate.FirstOrDefault();
        var baseT = c.Baseline.FirstOrDefault(t => t.Status == TrialStatus.Pass) ?? c.Baseline.FirstOrDefault();
        return new CaseComparison
        {
            CaseId = c.CaseId,
            BaselinePasses = counts.BaselinePasses,
            BaselineTrials = counts.BaselineTrials,
            CandidatePasses = counts.CandidatePasses,
            CandidateTrials = counts.CandidateTrials,
            BaselineScore = c.Baseline.Count == 0 ? 0 : c.Baseline.Average(t => t.Score ?? 0),
            CandidateScore = c.Candidate.Count == 0 ? 0 : c.Candidate.Average(t => t.Score ?? 0),
            PValue = pValue,
            AdjustedPValue = adjusted,
            Change = change,
            BaselineOutput = baseT?.Display ?? "",
            CandidateOutput = cand?.Display ?? "",
            CandidateReason = cand is null ? "" : cand.Error ?? string.Join("; ", cand.Scores.Where(s => s.Applicable && !s.Passed).Select(s => $"{s.Scorer}: {s.Reason}")),
            Tags = c.Tags,
        };
    }
}
