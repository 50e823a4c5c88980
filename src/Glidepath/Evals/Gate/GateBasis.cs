using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// What a gate verdict was computed on and under, and must still be to count: the dataset's sha256, the scorer version
/// and the gate rule.
/// </summary>
/// <param name="Dataset">The dataset as the manifest names it (<c>eval.dataset</c>), for messages.</param>
/// <param name="Rule">The rule in force: <c>eval.gate</c> and <c>eval.trials</c> of the manifest read now.</param>
public sealed record GateBasis(string Dataset, string DatasetSha256, string ScorerVersion, VerdictRule Rule)
{
    /// <summary>
    /// Today's basis: <c>eval.dataset</c> and <c>eval.scorers</c> as they are on disk now, hashed as the gate hashes them
    /// when it stores a verdict, and the manifest's gate rule (<see cref="DatasetReader.Sha256Async"/>, <see cref="ScorerSet.VersionOf"/>, the scorers'
    /// files read from the app folder). <see cref="BadInputException"/> when there is none: no <c>eval:</c> section, no
    /// dataset file, a rubric or schema that cannot be read.
    /// </summary>
    public static async Task<GateBasis> CurrentAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var eval = manifest.Eval
            ?? throw new BadInputException($"{(manifest.FilePath.Length > 0 ? Path.GetFileName(manifest.FilePath) : "the manifest")} has no eval: section");
        var path = Path.IsPathRooted(eval.Dataset) ? eval.Dataset : Path.Combine(manifest.BaseDirectory, eval.Dataset);
        var sha = await DatasetReader.Sha256Async(path, eval.Dataset, cancellationToken).ConfigureAwait(false);
        var version = ScorerSet.VersionOf(eval.Scorers, file => Files.AppFile.Read(manifest.BaseDirectory, file, "eval.scorers"));
        return new GateBasis(eval.Dataset, sha, version, VerdictRule.Of(eval));
    }

    /// <summary>Whether <paramref name="verdict"/> was computed on this dataset with these scorers, under this rule.</summary>
    public bool Holds(GateVerdictRecord verdict) => HoldsInputs(verdict) && HoldsRule(verdict);

    /// <summary>Whether <paramref name="verdict"/> was computed on this dataset with these scorers (under any rule).</summary>
    public bool HoldsInputs(GateVerdictRecord verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.DatasetSha256 == DatasetSha256 && verdict.JudgeVersion == ScorerVersion;
    }

    /// <summary>
    /// Whether <paramref name="verdict"/> was computed under this rule: its recorded rule hash is this rule's. A verdict
    /// that recorded none (stored before rules were recorded) never is.
    /// </summary>
    public bool HoldsRule(GateVerdictRecord verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.GateRuleSha256 is { } sha && string.Equals(sha, Rule.Sha256, StringComparison.Ordinal);
    }
}
