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

    /// <summary>
    /// Each side's totals over the run (cost, the judge's calls and cost), in work order: what the text table shows, which
    /// the md and HTML reports show too; empty in reports built without them.
    /// </summary>
    public IReadOnlyList<Runs.RunSummary> Summaries { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Why the run was narrower than the manifest's gate (<see cref="Gate.GateScope"/>): a pass of it is not stored and is
    /// no evidence for promotion (a block or an error is stored and stops promotion); null for the whole gate.
    /// </summary>
    public string? Partial { get; init; }

    /// <summary>The gate rule the verdict was decided under (and is stored with); null in reports built without one.</summary>
    public VerdictRule? Rule { get; init; }

    /// <summary>
    /// How the rule differs from the one in the manifest at the baseline's commit (a pull request that loosens its own bar,
    /// or a branch behind a base that moved it), and who changed it; null when they agree or the baseline's cannot be read.
    /// </summary>
    public RuleChange? RuleChange { get; init; }

    /// <summary>
    /// How <c>eval.scorers</c> differ from the manifest's at the baseline's commit (an option, a threshold, a rubric's content,
    /// a scorer added or removed), and who changed them; null when they agree or the baseline's cannot be read.
    /// </summary>
    public ScorerChange? ScorerChange { get; init; }

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
