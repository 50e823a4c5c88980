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
        BaselineScore = MeasuredScore(c.Baseline),
        CandidateScore = MeasuredScore(c.Candidate),
        PValue = pValue,
        AdjustedPValue = adjusted,
        Change = change,
        Tags = c.Tags,
    };

    // A side whose every trial errored has no score: its errored trials' missing scores would read as a mean of 0.
    private static double? MeasuredScore(SideTally side) => side.Scored == 0 ? null : side.MeanScore;
}
