using Glidepath.Git;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>The branch a checkout's change would be gated against (<c>--baseline git:BRANCH</c>), for advice when nothing else can name a baseline.</summary>
public static class BaseBranch
{
    /// <summary>
    /// The remote's default branch (<c>origin/HEAD</c>, as a clone sets it), else the current branch's upstream when it is
    /// another branch (<c>git checkout -b feature origin/main</c>; a pushed branch's own <c>origin/feature</c> is not a
    /// base), else <c>origin/main</c>; null when the manifest is not in a git work tree.
    /// </summary>
    public static async Task<string?> GuessAsync(Manifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var folder = manifest.BaseDirectory;
        if (await GitInfo.RunAsync(folder, cancellationToken, "rev-parse", "--is-inside-work-tree").ConfigureAwait(false) != "true")
        {
            return null;
        }

        if (await GitInfo.RunAsync(folder, cancellationToken, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD").ConfigureAwait(false) is { Length: > 0 } remoteDefault)
        {
            return remoteDefault.Trim();
        }

        var upstream = await GitInfo.RunAsync(folder, cancellationToken, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}").ConfigureAwait(false);
        var current = await GitInfo.RunAsync(folder, cancellationToken, "symbolic-ref", "--quiet", "--short", "HEAD").ConfigureAwait(false);
        return upstream is { Length: > 0 } && !(current is { Length: > 0 } && upstream.Trim().EndsWith("/" + current.Trim(), StringComparison.Ordinal))
            ? upstream.Trim()
            : "origin/main";
    }
}
