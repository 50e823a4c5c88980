using Glidepath.Errors;
using Glidepath.Git;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The gate rule the baseline was gated under, the dataset it was gated on and its scorers: read from the manifest at the
/// baseline's git commit (a release's content holds the <c>release:</c> section only, not <c>eval:</c>), and at the merge
/// base of <c>HEAD</c> and that commit. The gate sets them beside the rule, the dataset and the scorers in force, so a report
/// shows a pull request that changes its own bar or drops the cases it breaks, and a branch that is only behind the base.
/// </summary>
public static class BaselineRules
{
    /// <summary>The commit a <c>git:REV</c> reference names, or null for any other reference (or a revision git cannot find).</summary>
    public static async Task<string?> CommitOfAsync(Manifest manifest, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(reference);
        if (!reference.StartsWith("git:", StringComparison.Ordinal) || reference[4..].StartsWith('-'))
        {
            return null;
        }

        var commit = await GitInfo.RunAsync(manifest.BaseDirectory, cancellationToken, "rev-parse", "--verify", "--quiet", reference[4..] + "^{commit}").ConfigureAwait(false);
        return commit is { Length: > 0 } ? commit.Trim() : null;
    }

    /// <summary>
    /// The baseline's eval section at <paramref name="commit"/> (<see cref="EvalAtAsync"/>) and where <c>HEAD</c> forked from
    /// it (<c>git merge-base</c>), or null when the baseline's cannot be read. <paramref name="revision"/> is the <c>REV</c> of a
    /// <c>git:REV</c> baseline, for messages. Never fails the gate: with no merge base (a shallow clone) who changed what is unknown.
    /// </summary>
    public static async Task<BaselineFork?> ForkAsync(Manifest manifest, string? commit, string? revision, CancellationToken cancellationToken)
    {
        var baseline = await EvalAtAsync(manifest, commit, cancellationToken).ConfigureAwait(false);
        if (baseline is null)
        {
            return null;
        }

        var full = baseline.Files is GitRevisionFileSource git ? git.Commit : commit!;
        if (!full.All(Uri.IsHexDigit))
        {
            // A commit read from the store (a release's git_commit) is untrusted: only a hash goes to git as an argument.
            return new BaselineFork(baseline, full) { Revision = revision };
        }

        var mergeBase = await GitInfo.RunAsync(manifest.BaseDirectory, cancellationToken, "merge-base", "HEAD", full).ConfigureAwait(false) is { Length: > 0 } found
            ? found.Trim()
            : null;
        var atMergeBase = mergeBase is null ? null
            : string.Equals(mergeBase, full, StringComparison.Ordinal) ? baseline
            : await EvalAtAsync(manifest, mergeBase, cancellationToken).ConfigureAwait(false);
        return new BaselineFork(baseline, full) { Revision = revision, MergeBaseCommit = mergeBase, AtMergeBase = atMergeBase };
    }

    /// <summary>
    /// The <c>eval:</c> section of the manifest at <paramref name="commit"/> (the <c>git:REV</c> the baseline was named by, else
    /// the clean commit the baseline release was first registered from), with the files of that commit, or null when it
    /// cannot be told: no commit, a commit this repository lacks (a shallow clone), no manifest or no <c>eval:</c> section
    /// there, or a manifest there that does not parse. Never fails the gate.
    /// </summary>
    public static async Task<BaselineEval?> EvalAtAsync(Manifest manifest, string? commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (commit is not { Length: > 0 } || manifest.FilePath.Length == 0)
        {
            return null;
        }

        try
        {
            var source = await GitRevisionFileSource.OpenAsync(manifest.BaseDirectory, commit, cancellationToken).ConfigureAwait(false);
            var name = Path.GetFileName(manifest.FilePath);
            if (!source.Exists(name))
            {
                return null;
            }

            var yaml = System.Text.Encoding.UTF8.GetString(source.ReadAllBytes(name));
            return ManifestParser.Parse(yaml, $"{name}@{commit[..Math.Min(12, commit.Length)]}", source).Eval is { } eval ? new BaselineEval(eval, source) : null;
        }
        catch (Exception ex) when (ex is GlidepathException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
