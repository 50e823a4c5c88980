namespace Glidepath.Evals.Gate;

/// <summary>One case on both sides: passes per trials, mean scores, the one-sided p-value and what changed.</summary>
public sealed record CaseComparison
{
    public required string CaseId { get; init; }
    public required int BaselinePasses { get; init; }
    public required int BaselineTrials { get; init; }
    public required int CandidatePasses { get; init; }
    public required int CandidateTrials { get; init; }
    public required double BaselineScore { get; init; }
    public required double CandidateScore { get; init; }

    /// <summary>Fisher's one-sided p-value for "the candidate passes less often" (trials &gt; 1), else null.</summary>
    public double? PValue { get; init; }

    /// <summary>
    /// <see cref="PValue"/> after the discrete Holm correction across all tested cases; the case regressed
    /// when it is ≤ the family's α. Null when the case was not tested (one trial a side, or an error).
    /// </summary>
    public double? AdjustedPValue { get; init; }

    public required CaseChange Change { get; init; }
    public string BaselineOutput { get; init; } = "";
    public string CandidateOutput { get; init; } = "";
    public string CandidateReason { get; init; } = "";
    public IReadOnlyList<string> Tags { get; init; } = [];
}
