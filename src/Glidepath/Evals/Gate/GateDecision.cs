namespace Glidepath.Evals.Gate;

/// <summary>Everything the gate decided and why: counts, per-case changes, the mean difference with its interval, errors.</summary>
public sealed record GateDecision
{
    public required GateResult Result { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public required IReadOnlyList<CaseComparison> Cases { get; init; }
    public required IReadOnlyList<GateError> Errors { get; init; }

    /// <summary>The mean per-case score difference (candidate − baseline); null when no case was scored on both sides.</summary>
    public required double? MeanDifference { get; init; }

    /// <summary>The interval of <see cref="MeanDifference"/> at <see cref="Confidence"/>; null with it.</summary>
    public required double? CiLow { get; init; }

    public required double? CiHigh { get; init; }

    public required double Confidence { get; init; }

    /// <summary>Passes over trials on the side; null when every trial of the side errored (nothing was measured).</summary>
    public required double? BaselinePassRate { get; init; }

    public required double? CandidatePassRate { get; init; }

    public required int Trials { get; init; }
    public required GateRule Rule { get; init; }

    /// <summary>How the per-case tests were corrected across the suite (method, family-wise α, family size).</summary>
    public required CaseCorrection Correction { get; init; }

    /// <summary>
    /// On a pass, the cases that scored lower on the candidate which neither rule could have named at these trial counts
    /// (<see cref="Glidepath.Evals.Gate.CannotBlock"/>): every report says so loudly. Null otherwise.
    /// </summary>
    public CannotBlock? CannotBlock { get; init; }

    /// <summary>
    /// On a pass or a block, the cases that failed every trial on both sides (<see cref="Glidepath.Evals.Gate.AlwaysFailing"/>):
    /// they cannot show a regression, and every report says so. Null otherwise.
    /// </summary>
    public AlwaysFailing? AlwaysFailing { get; init; }

    /// <summary>
    /// On a pass or a block, the cases that scored lower with p ≤ the family's α but not after the correction
    /// (<see cref="Glidepath.Evals.Gate.DropsNotSignificant"/>): every report lists the largest. Null otherwise.
    /// </summary>
    public DropsNotSignificant? DropsNotSignificant { get; init; }

    /// <summary>
    /// On a verdict <c>error</c>, the cases whose every trial errored on both sides (<see cref="Glidepath.Evals.Gate.AlwaysErrored"/>),
    /// which a resume will not fix: every report lists them before the errors. Null otherwise.
    /// </summary>
    public AlwaysErrored? AlwaysErrored { get; init; }

    public IReadOnlyList<CaseComparison> Regressions => Cases.Where(c => c.Change == CaseChange.Regressed).ToList();

    public IReadOnlyList<CaseComparison> Improvements => Cases.Where(c => c.Change == CaseChange.Improved).ToList();
}
