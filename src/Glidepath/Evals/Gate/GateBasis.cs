using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// What a gate verdict was computed on, and must still be computed on to count: the dataset's sha256 and the scorer version.
/// </summary>
/// <param name="Dataset">The dataset as the manifest names it (<c>eval.dataset</c>), for messages.</param>
public sealed record GateBasis(string Dataset, string DatasetSha256, string ScorerVersion)
{
    /// <summary>
    /// Today's basis: <c>eval.dataset</c> and <c>eval.scorers</c> as they are on disk now, hashed as the gate hashes them
    /// when it stores a verdict (<see cref="DatasetReader.Sha256Async"/>, <see cref="ScorerSet.VersionOf"/>, the scorers'
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
        return new GateBasis(eval.Dataset, sha, version);
    }

    /// <summary>Whether <paramref name="verdict"/> was computed on this dataset with these scorers.</summary>
    public bool Holds(GateVerdictRecord verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return verdict.DatasetSha256 == DatasetSha256 && verdict.JudgeVersion == ScorerVersion;
    }
}
