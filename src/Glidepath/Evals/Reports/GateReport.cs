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

    /// <summary><c>pass</c>, <c>blocked</c> or <c>error</c>: the verdict as stored and reported.</summary>
    public string ResultWord => StoredName.Of(Decision.Result);

    /// <summary>What a partial gate's verdict means, for every report format; null for the whole gate.</summary>
    public string? PartialNote => Partial is null ? null
        : $"partial gate ({Partial}): " + (Decision.Result == GateResult.Pass
            ? "a pass over part of the gate is not stored and is no evidence for promotion"
            : "stored, and it stops promotion until the whole gate passes");
}
