using Glidepath.Errors;
using Glidepath.Git;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The gate rule the baseline was gated under, and the dataset it was gated on: read from the manifest at the baseline's git
/// commit (a release's content holds the <c>release:</c> section only, not <c>eval:</c>). The gate sets them beside the rule
/// and the dataset in force, so a report shows a pull request that changes its own bar or drops the cases it breaks.
/// </summary>
public static class BaselineRules
{
    /// <summary>The commit a <c>git:REV</c> reference names, or null for any other reference (or a revision git cannot find).</summary>
    public static async Task<string?> CommitOfAsync(Manifest manifest, string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(reference);
        if (!reference.StartsWith("git:", StringComparison.Ordinal))
        {
            return null;
        }

        var commit = await GitInfo.RunAsync(manifest.BaseDirectory, cancellationToken, "rev-parse", "--verify", "--quiet", reference[4..] + "^{commit}").ConfigureAwait(false);
        return commit is { Length: > 0 } ? commit.Trim() : null;
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
