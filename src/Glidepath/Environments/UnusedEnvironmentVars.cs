using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>
/// The note for an environment's <c>vars:</c> key that no template of the release uses (<c>plna</c> where the prompt
/// uses <c>plan</c>): the value does nothing, and a variable open to callers is then left without its default, so every
/// request without the header is a 400 that blames the caller (newcomer4 M2).
/// </summary>
internal static class UnusedEnvironmentVars
{
    /// <summary>"note: environments.production.vars.plna is ignored: no template of the release uses it …", one line a key; null when every key is used.</summary>
    public static string? Note(EnvironmentSpec spec, Release release)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(release);
        if (spec.Vars.Count == 0 || EnvironmentGuard.SystemPrompt(release) is not var (_, prompt))
        {
            return null;
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

            var line = $"note: environments.{spec.Name}.vars.{key} is ignored by {release.Name}: {names.UnusedVariable(key)}";
            if (ClosestName.Of(key, used) is { } meant && !spec.Vars.Keys.Contains(meant, StringComparer.OrdinalIgnoreCase) &&
                spec.RequestVars.Contains(meant, StringComparer.OrdinalIgnoreCase))
            {
                line += $"{(line.EndsWith('?') ? " " : "; ")}'{meant}' has no value in {spec.Name}, so every request without a Glidepath-Var-{meant} header gets a 400";
            }

            lines.Add(line);
        }

        return lines.Count == 0 ? null : string.Join('\n', lines);
    }
}
