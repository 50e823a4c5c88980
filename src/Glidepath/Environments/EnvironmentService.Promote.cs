using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>Promote: up the promotion path, by the environment's policy.</summary>
public sealed partial class EnvironmentService
{
    /// <summary>Promotes <paramref name="release"/> into <paramref name="environment"/> if its policy allows (or <paramref name="force"/> with a reason).</summary>
    public async Task<EnvironmentOutcome> PromoteAsync(string environment, Release release, string actor, string? reason, bool force, CancellationToken cancellationToken)
    {
        var (spec, state, assessment) = await PreparePromoteAsync(environment, release, reason, force, cancellationToken).ConfigureAwait(false);
        if (assessment is null)
        {
            return new EnvironmentOutcome(state, null, $"{spec.Name}: {release.Name} is already the stable release; nothing changed");
        }

        var details = new JsonObject
        {
            ["requires_met"] = new JsonArray(assessment.RequiresMet.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()),
            ["baseline_release_id"] = assessment.BaselineReleaseId,
            ["gate_verdict_id"] = assessment.GateVerdictId,
            ["first_release"] = assessment.FirstRelease,
        };
        if (assessment.FirstRelease)
        {
            details["note"] = PromotionPolicy.FirstReleaseNote;
            reason ??= PromotionPolicy.FirstReleaseNote;
        }

        assessment.WriteTo(details);
        var varsNote = UnusedEnvironmentVars.Note(spec, release); // read before the move: nothing may fail after it
        var rolledBack = RolledBackNote(spec.Name, release, await environments.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false));
        var outcome = await MoveStableAsync(state, EnvironmentEventKinds.Promote, release.Id, actor, reason, forced: !assessment.Allowed, details, cancellationToken).ConfigureAwait(false);
        var notes = string.Join('\n', new[] { assessment.Notes, rolledBack, varsNote }.OfType<string>());
        return WithNote(outcome, notes.Length == 0 ? null : notes);
    }

    /// <summary>
    /// A note when <paramref name="release"/> was rolled back from this environment and has not been its stable since
    /// (trial newcomer4 M3: promote put a release rolled back minutes before back at 100% without a word); null otherwise.
    /// </summary>
    private static string? RolledBackNote(string environment, Release release, IReadOnlyList<EnvironmentEvent> history)
    {
        if (StableHistory.RolledBackAndNotStableSince(history, release.Id) is not { } back)
        {
            return null;
        }

        var why = back.Reason is { Length: > 0 } text ? $", \"{text}\"" : "";
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"note: {release.Name} was rolled back from {environment} at {back.Time.ToUniversalTime():yyyy-MM-dd HH:mm} UTC (revision {back.Revision}, by {back.Actor}{why}); this promote puts it back at 100% at once — glidepath rollout start {release.Name} --env {environment} would put it behind a canary");
    }

    /// <summary>
    /// Throws every refusal <see cref="PromoteAsync"/> would give, and changes nothing: <c>promote working</c> checks the
    /// working tree before registering it, so a refused promote leaves no release behind.
    /// </summary>
    public Task CheckPromoteAsync(string environment, Release release, string? reason, bool force, CancellationToken cancellationToken) =>
        PreparePromoteAsync(environment, release, reason, force, cancellationToken);

    /// <summary>
    /// The commands that put <paramref name="release"/> in as the first stable release of <paramref name="spec"/>, in
    /// order (<see cref="FirstRelease"/>): an environment on the path where the release has been stable needs none.
    /// </summary>
    public async Task<string> FirstReleaseCommandsAsync(EnvironmentSpec spec, Release release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(release);
        var stableIn = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Queue<string>(spec.Requires);
        var seen = new HashSet<string>(spec.Requires, StringComparer.Ordinal);
        while (pending.TryDequeue(out var name))
        {
            if (StableHistory.HasBeenStable(await environments.HistoryAsync(manifest.App, name, cancellationToken).ConfigureAwait(false), release.Id))
            {
                stableIn.Add(name);
                continue;
            }

            foreach (var before in manifest.FindEnvironment(name)?.Requires ?? [])
            {
                if (seen.Add(before))
                {
                    pending.Enqueue(before);
                }
            }
        }

        return FirstRelease.Describe(FirstRelease.Commands(manifest, spec, release.Name, stableIn.Contains));
    }

    /// <summary>
    /// Throws (exit 4) when the environment is frozen, listing with the freeze, when <paramref name="assess"/>, every
    /// prerequisite of the promotion policy the release lacks, so unfreezing does not reveal a second refusal (newcomer
    /// trial L12: promote said only "frozen", and the missing gate came after the unfreeze). Used by promote and
    /// <c>rollout start</c>.
    /// </summary>
    public async Task EnsureNotFrozenAsync(EnvironmentSpec spec, EnvironmentState state, Release release, string action, string heading, bool assess, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (EnvironmentGuard.FrozenRefusal(state, action) is not { } frozen)
        {
            return;
        }

        var missing = assess ? (await AssessAsync(spec, state, release, cancellationToken).ConfigureAwait(false)).Missing : [];
        throw EnvironmentGuard.Refusals(heading, [frozen, .. missing.Select(m => m.ToString())], missing.Count == 0 ? null :
            "(a freeze is not overridden: unfreeze first; the rest can be overridden with --force --reason \"...\", recorded in the history)");
    }

    /// <summary>The state a promote acts on and the policy's assessment; a null assessment: the release is already stable.</summary>
    private async Task<(EnvironmentSpec Spec, EnvironmentState State, PromotionAssessment? Assessment)> PreparePromoteAsync(
        string environment, Release release, string? reason, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var spec = Spec(environment);
        if (force && string.IsNullOrWhiteSpace(reason))
        {
            throw new BadInputException("--force needs --reason \"...\": an override of the promotion policy is recorded with why it was made");
        }

        EnvironmentGuard.EnsurePromptVariablesProvided(spec, release, "promote");
        var state = await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        await EnsureNotFrozenAsync(spec, state, release, "promote", $"cannot promote {release.Name} to {spec.Name}",
            assess: !force && state.Canary is null && state.StableReleaseId != release.Id, cancellationToken).ConfigureAwait(false);
        await EnsureNoCanaryAsync(state, "promote", cancellationToken).ConfigureAwait(false);
        if (state.StableReleaseId == release.Id)
        {
            return (spec, state, null);
        }

        var assessment = await AssessAsync(spec, state, release, cancellationToken).ConfigureAwait(false);
        if (!assessment.Allowed && !force)
        {
            var lines = assessment.Missing.Select(m => "\n  - " + m);
            throw new PolicyException(
                $"cannot promote {release.Name} to {spec.Name}:{string.Concat(lines)}\n" +
                "(to override, add --force --reason \"...\"; the override is recorded in the history)");
        }

        return (spec, state, assessment);
    }
}
