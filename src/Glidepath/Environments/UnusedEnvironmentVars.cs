using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>
/// The note for an environment's <c>vars:</c> key that no template of the release uses (<c>plna</c> where the prompt
/// uses <c>plan</c>): the value does nothing, and a variable open to callers is then left without its default, so every
/// request without the header is a 400 that blames the caller (newcomer4 M2). One rule for every command that says it:
/// deploy and promote (a note), <c>release create</c> and <c>serve</c>'s start (a warning at the manifest's line).
/// </summary>
public static class UnusedEnvironmentVars
{
    /// <summary>"note: environments.production.vars.plna is ignored by v3: no template of the release uses it …", one line a key; null when every key is used.</summary>
    internal static string? Note(EnvironmentSpec spec, Release release)
    {
        var lines = Problems(spec, release, manifestFile: null);
        return lines.Count == 0 ? null : string.Join('\n', lines.Select(l => "note: " + l));
    }

    /// <summary>
    /// Each key of <paramref name="spec"/>'s <c>vars:</c> that no template of <paramref name="release"/> uses, one line a key
    /// (<c>glidepath.yaml:38: environments.production.vars.plna is ignored by v3: …; did you mean 'plan'?</c>), in key order;
    /// empty when every key is used. With <paramref name="manifestFile"/>, a line starts with it and the key's line.
    /// </summary>
    public static IReadOnlyList<string> Problems(EnvironmentSpec spec, Release release, string? manifestFile)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(release);
        if (spec.Vars.Count == 0 || EnvironmentGuard.SystemPrompt(release) is not var (_, prompt))
        {
            return [];
        }

        var used = PromptTemplate.Variables(prompt);
        var names = ReleaseNames.OfPrompt(prompt);
        var lines = new List<string>();
        foreach (var key in spec.Vars.Keys.Order(StringComparer.Ordinal))
        {
            // The environment's vars are matched without case (EnvironmentGuard), so 'Plan' gives 'plan' its value.
            if (used.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var where = manifestFile is null ? "" : spec.VarLines.TryGetValue(key, out var at) ? $"{manifestFile}:{at}: " : $"{manifestFile}: ";
            var line = $"{where}environments.{spec.Name}.vars.{key} is ignored by {release.Name}: {names.UnusedVariable(key)}";
            if (ClosestName.Of(key, used) is { } meant && !spec.Vars.Keys.Contains(meant, StringComparer.OrdinalIgnoreCase) &&
                spec.RequestVars.Contains(meant, StringComparer.OrdinalIgnoreCase))
            {
                line += $"{(line.EndsWith('?') ? " " : "; ")}'{meant}' has no value in {spec.Name}, so every request without a Glidepath-Var-{meant} header gets a 400";
            }

            lines.Add(line);
        }

        return lines;
    }
}
