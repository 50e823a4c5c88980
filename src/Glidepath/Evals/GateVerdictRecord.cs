using Glidepath.Evals.Gate;
using Glidepath.Storage;

namespace Glidepath.Evals;

/// <summary>A stored gate verdict: evidence for promotion and for the checklist.</summary>
/// <param name="Result">pass, blocked or error: the <see cref="StoredName"/> of a <see cref="GateResult"/>.</param>
/// <param name="JudgeVersion">Identifies the scorers/judge config (e.g. a hash of the eval config and rubric), or null.</param>
/// <param name="DetailsJson">Counts, regressed cases and the statistics, as a JSON object.</param>
public sealed record GateVerdictRecord(
    string Id,
    string App,
    string CandidateReleaseId,
    string BaselineReleaseId,
    string DatasetSha256,
    string Result,
    string? JudgeVersion,
    DateTimeOffset CreatedAt,
    string DetailsJson)
{
    /// <summary>
    /// The gate rule the verdict was computed under, as <see cref="VerdictRule.Json"/>; null for a verdict stored before
    /// verdicts recorded it (migration 0025), which counts for nothing.
    /// </summary>
    public string? GateRule { get; init; }

    /// <summary>The sha256 of <see cref="GateRule"/> (<see cref="VerdictRule.Sha256"/>): what a verdict's rule is matched on; null with it.</summary>
    public string? GateRuleSha256 { get; init; }

    public bool Passed => Result == StoredName.Of(GateResult.Pass);
}
