namespace Glidepath.Evals.Gate;

/// <summary>
/// One case on both sides: passes per trials, mean scores, the one-sided p-value and what changed; the answers on each
/// side only when the case changed (regressed, improved or errored).
/// </summary>
public sealed record CaseComparison
{
    public required string CaseId { get; init; }
    public required int BaselinePasses { get; init; }
    public required int BaselineTrials { get; init; }
    public required int CandidatePasses { get; init; }
    public required int CandidateTrials { get; init; }

    /// <summary>The baseline's mean score over the case's trials; null when every one of them errored (not measured, never 0).</summary>
    public required double? BaselineScore { get; init; }

    /// <summary>The candidate's mean score over the case's trials; null when every one of them errored (not measured, never 0).</summary>
    public required double? CandidateScore { get; init; }

    /// <summary>Fisher's one-sided p-value for "the candidate passes less often" (trials &gt; 1), else null.</summary>
    public double? PValue { get; init; }

    /// <summary>
    /// <see cref="PValue"/> after the discrete Holm correction across all tested cases; the case regressed
    /// when it is ≤ the family's α. Null when the case was not tested (one trial a side, or an error).
    /// </summary>
    public double? AdjustedPValue { get; init; }

    public required CaseChange Change { get; init; }

    /// <summary>
    /// The baseline's shown answer (a passing trial if any); null for an unchanged case, whose answers the gate does not
    /// load (not an empty answer: newcomer trial L6), empty when the side had no trial.
    /// </summary>
    public string? BaselineOutput { get; init; }

    /// <summary>The candidate's shown answer (a trial that did not pass if any); null for an unchanged case (not loaded).</summary>
    public string? CandidateOutput { get; init; }

    /// <summary>Why the candidate's shown trial did not pass (its error, or the failed scorers' reasons; empty when it passed); null for an unchanged case (not loaded).</summary>
    public string? CandidateReason { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];
}
