using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>
/// Checks that refuse a change before any policy is evaluated: the kill switch, an active canary, and a release the
/// environment cannot serve. Shared by deploy, promote, <c>rollout start</c> and <c>shadow start</c>.
/// </summary>
public static class EnvironmentGuard
{
    /// <summary>Throws (exit 4) when the environment is frozen; <paramref name="action"/> names what was refused, e.g. "promote".</summary>
    public static void EnsureNotFrozen(EnvironmentState state, string action)
    {
        if (FrozenRefusal(state, action) is { } refusal)
        {
            throw new PolicyException(refusal);
        }
    }

    /// <summary>The refusal of a frozen environment, as <see cref="EnsureNotFrozen"/> throws it; null when it is not frozen.</summary>
    public static string? FrozenRefusal(EnvironmentState state, string action)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Frozen)
        {
            return null;
        }

        var why = string.IsNullOrWhiteSpace(state.FrozenReason) ? "" : $" (\"{state.FrozenReason}\")";
        return $"environment '{state.Name}' is frozen{why}: {action} is refused while frozen (rollback stays allowed); " +
            $"when it is safe again, run: glidepath unfreeze --env {state.Name} --reason \"...\"";
    }

    /// <summary>
    /// Every refusal at once, as one policy failure (exit 4): <paramref name="heading"/> and one line per refusal; a single
    /// refusal alone, as it always read. So a frozen environment says what unfreezing would still leave refused (newcomer
    /// trial L12: deploy said only "promotion path", promote only "frozen", and the gate came after unfreezing).
    /// </summary>
    public static PolicyException Refusals(string heading, IReadOnlyList<string> refusals, string? footer = null)
    {
        ArgumentNullException.ThrowIfNull(refusals);
        return refusals.Count == 1 && footer is null
            ? new PolicyException(refusals[0])
            : new PolicyException($"{heading}:{string.Concat(refusals.Select(r => "\n  - " + r))}{(footer is null ? "" : "\n" + footer)}");
    }

    /// <summary>Throws (exit 4) when a canary is active: the stable pointer belongs to that rollout until it ends.</summary>
    public static void EnsureNoActiveCanary(EnvironmentState state, string action, Func<string, string> releaseName)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(releaseName);
        if (state.Canary is { } canary)
        {
            throw new PolicyException(
                $"environment '{state.Name}' has an active canary ({releaseName(canary.ReleaseId)} at {canary.Weight:0.##}%): {action} is refused until that rollout ends; " +
                $"to end it now and send all traffic to the stable release, run: {Rollouts.HoldWarning.RollbackCommand(state.Name, state.Revision)}");
        }
    }

    /// <summary>
    /// Throws (exit 2) when the release's system prompt uses a template variable that the environment neither sets
    /// (<c>vars</c>) nor lets callers set (<c>request_vars</c>): every request routed to the release would fail there.
    /// </summary>
    public static void EnsurePromptVariablesProvided(EnvironmentSpec spec, Release release, string action)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(release);
        if (SystemPrompt(release) is not var (path, prompt))
        {
            return;
        }

        var missing = PromptTemplate.Variables(prompt)
            .Where(v => !spec.Vars.Keys.Contains(v, StringComparer.OrdinalIgnoreCase) && !spec.RequestVars.Contains(v, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var (list, one) = (string.Join(", ", missing.Select(m => "'" + m + "'")), missing.Count == 1);
        throw new BadInputException(
            $"{release.Name}'s prompt ({path}) uses template variable{(one ? "" : "s")} {list}, which environment '{spec.Name}' " +
            $"does not set: {action} is refused, since every request routed to {release.Name} there would fail; set {(one ? "it" : "them")} under " +
            $"environments.{spec.Name}.vars in glidepath.yaml, or list {(one ? "it" : "them")} under environments.{spec.Name}.request_vars for callers " +
            "to send in a Glidepath-Var-* header");
    }

    /// <summary>
    /// The release's system prompt file and text, read from its canonical JSON as <see cref="ReleaseSnapshot"/> reads it
    /// (text, or base64 for a file with a byte-order mark or bytes that are not UTF-8); null when it names none.
    /// </summary>
    internal static (string Path, string Text)? SystemPrompt(Release release)
    {
        var root = JsonNode.Parse(release.CanonicalJson) as JsonObject;
        if (root?["prompt"]?["system"] is not JsonValue p || !p.TryGetValue<string>(out var path) || root["content"]?[path] is not JsonObject entry)
        {
            return null;
        }

        return ReleaseSnapshot.ContentBytes(entry) is { } bytes ? (path, System.Text.Encoding.UTF8.GetString(bytes)) : null;
    }
}
