using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;
using Glidepath.Releases;

namespace Glidepath.Evals.Gate;

/// <summary>A gate run ready to execute: its stored record, the candidate, the baseline and its dataset, checked (the run reads the cases as it goes).</summary>
/// <param name="Resumed">True when the run was stopped earlier and is being continued.</param>
public sealed record GateStart(EvalRun Run, Release Candidate, Release Baseline, DatasetScan Dataset, bool Resumed)
{
    /// <summary>
    /// The commit a <c>git:REV</c> baseline was built from, or null (another kind of reference, or a resumed run): the
    /// manifest there holds the baseline's gate rule (<see cref="BaselineRules"/>).
    /// </summary>
    public string? BaselineCommit { get; init; }

    /// <summary>The <c>REV</c> of a <c>git:REV</c> baseline (<c>origin/main</c>), for the warnings' words; null otherwise.</summary>
    public string? BaselineRevision { get; init; }

    /// <summary>True when the candidate has the baseline's content: the release is compared with itself and runs once.</summary>
    public bool SameContent => Candidate.Id == Baseline.Id;
}
