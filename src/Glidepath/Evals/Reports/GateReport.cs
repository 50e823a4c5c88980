using Glidepath.Evals.Gate;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;

namespace Glidepath.Evals.Reports;

/// <summary>Everything a gate report shows: which releases, which dataset and scorers, and the decision.</summary>
public sealed record GateReport
{
    public required string App { get; init; }
    public required string RunId { get; init; }
    public required string CandidateLabel { get; init; }
    public required string CandidateId { get; init; }
    public required string BaselineLabel { get; init; }
    public required string BaselineId { get; init; }
    public required string DatasetPath { get; init; }
    public required string DatasetSha256 { get; init; }
    public required string ScorerVersion { get; init; }
    public IReadOnlyList<JudgeIdentity> Judges { get; init; } = [];
    public required GateDecision Decision { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Why the run was narrower than the manifest's gate (<see cref="Gate.GateScope"/>): a pass of it is not stored and is
    /// no evidence for promotion (a block or an error is stored and stops promotion); null for the whole gate.
    /// </summary>
    public string? Partial { get; init; }

    /// <summary>The gate rule the verdict was decided under (and is stored with); null in reports built without one.</summary>
    public VerdictRule? Rule { get; init; }

    /// <summary>
    /// The gate rule in the manifest the baseline release was registered from (its clean git commit), when it can be read
    /// (<see cref="BaselineRules"/>); null otherwise.
    /// </summary>
    public VerdictRule? BaselineRule { get; init; }

    /// <summary>
    /// "the gate rule was changed by this change: max_case_regressions 0 → 100" when the candidate's rule is not the
    /// baseline's (a pull request that loosens its own bar), else null.
    /// </summary>
    public string? RuleChangeNote => Rule is { } rule && BaselineRule is { } before && before.ChangedTo(rule) is { Length: > 0 } changes
        ? $"the gate rule was changed by this change: {changes}"
        : null;

    /// <summary>
    /// How the gated dataset differs from <c>eval.dataset</c> at the baseline's commit when cases were removed or changed
    /// (a change that deletes the cases it breaks), else null (same cases, only added ones, or not readable).
    /// </summary>
    public DatasetChange? DatasetChange { get; init; }

    /// <summary><c>pass</c>, <c>blocked</c> or <c>error</c>: the verdict as stored and reported.</summary>
    public string ResultWord => StoredName.Of(Decision.Result);

    /// <summary>What a partial gate's verdict means, for every report format; null for the whole gate.</summary>
    public string? PartialNote => Partial is null ? null
        : $"partial gate ({Partial}): " + (Decision.Result == GateResult.Pass
            ? "a pass over part of the gate is not stored and is no evidence for promotion"
            : "stored, and it stops promotion until the whole gate passes");
}
