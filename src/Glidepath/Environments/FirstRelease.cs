using Glidepath.Manifests;

namespace Glidepath.Environments;

/// <summary>
/// The commands that put a first release into an environment, in the order they work: each environment before it on
/// the promotion path (its <c>requires</c>, theirs first) where the release has not been stable yet, then the
/// environment itself. <c>deploy</c> where nothing is required (it is refused where something is), <c>promote</c> where
/// something is. Newcomer trial L1: the hint said only <c>promote</c>, which the promotion path then refused.
/// </summary>
public static class FirstRelease
{
    /// <param name="manifest">The environments and their <c>requires</c>.</param>
    /// <param name="target">The environment the release goes into.</param>
    /// <param name="release">The release as the commands name it (<c>v3</c>, <c>working</c>, or a placeholder).</param>
    /// <param name="hasBeenStable">Whether the release has been stable in an environment (then neither it nor the
    /// environments before it need a command); null: assume nowhere.</param>
    public static IReadOnlyList<string> Commands(Manifest manifest, EnvironmentSpec target, string release, Func<string, bool>? hasBeenStable = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(release);
        var commands = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);

        // The manifest refuses a cycle in requires; the visited set keeps this finite regardless.
        void Visit(EnvironmentSpec spec)
        {
            if (!visited.Add(spec.Name) || (spec != target && hasBeenStable?.Invoke(spec.Name) == true))
            {
                return;
            }

            foreach (var required in spec.Requires)
            {
                if (manifest.FindEnvironment(required) is { } before)
                {
                    Visit(before);
                }
            }

            commands.Add($"glidepath {(spec.Requires.Count > 0 ? "promote" : "deploy")} {release} --env {spec.Name}");
        }

        Visit(target);
        return commands;
    }

    /// <summary>The commands as one phrase: <c>glidepath deploy v1 --env staging, then glidepath promote v1 --env production</c>.</summary>
    public static string Describe(IReadOnlyList<string> commands, string quote = "")
    {
        ArgumentNullException.ThrowIfNull(commands);
        return string.Join(", then ", commands.Select(c => quote + c + quote));
    }
}
