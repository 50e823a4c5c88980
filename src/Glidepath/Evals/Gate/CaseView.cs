namespace Glidepath.Evals.Gate;

/// <summary>Builds a case's <see cref="CaseComparison"/> from its tally: counts, mean scores and verdict (the answers come from <see cref="ShownAnswers"/>).</summary>
internal static class CaseView
{
    public static CaseComparison Of(CaseTally c, CaseCounts counts, CaseChange change, double? pValue, double? adjusted) => new()
    {
        CaseId = c.CaseId,
        BaselinePasses = counts.BaselinePasses,
        BaselineTrials = counts.BaselineTrials,
        CandidatePasses = counts.CandidatePasses,
        CandidateTrials = counts.CandidateTrials,
        BaselineScore = c.Baseline.MeanScore,
        CandidateScore = c.Candidate.MeanScore,
        PValue = pValue,
        AdjustedPValue = adjusted,
        Change = change,
        Tags = c.Tags,
    };
}
