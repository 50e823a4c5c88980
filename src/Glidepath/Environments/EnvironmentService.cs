using System.Globalization;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Evals.Gate;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Shadow;
using Glidepath.Storage;

namespace Glidepath.Environments;

/// <summary>
/// Deploy, promote, rollback, freeze and unfreeze. Each reads the environment's state, decides by policy,
/// and writes the new state with its history event as one compare-and-swap on the revision it read, so a
/// concurrent change makes it fail (exit 4) instead of acting on stale facts.
/// </summary>
public sealed partial class EnvironmentService(
    Manifest manifest,
    IEnvironmentStore environments,
    IGateVerdictStore verdicts,
    IReleaseStore releases,
    IShadowStore shadows,
    TimeProvider time)
{
    /// <summary>Points the stable release of an environment without a promotion path at <paramref name="release"/>.</summary>
    public async Task<EnvironmentOutcome> DeployAsync(string environment, Release release, string actor, string? reason, CancellationToken cancellationToken)
    {
        var (spec, state) = await CheckDeployAsync(environment, release, cancellationToken).ConfigureAwait(false);
        if (state.StableReleaseId == release.Id)
        {
            return new EnvironmentOutcome(state, null, $"{spec.Name}: {release.Name} is already the stable release; nothing changed");
        }

        var note = UnusedEnvironmentVars.Note(spec, release); // read before the move: nothing may fail after it
        var outcome = await MoveStableAsync(state, EnvironmentEventKinds.Deploy, release.Id, actor, reason, forced: false, new JsonObject(), cancellationToken).ConfigureAwait(false);
        return WithNote(outcome, note);
    }

    // A note of the command's own goes before the ones moving the stable release gives (the shadow's).
    private static EnvironmentOutcome WithNote(EnvironmentOutcome outcome, string? note) =>
        note is null ? outcome : outcome with { Note = outcome.Note is null ? note : note + "\n" + outcome.Note };

    /// <summary>
    /// Throws every refusal <see cref="DeployAsync"/> would give, and changes nothing: a caller checks a release it has not
    /// registered yet (<c>deploy working</c>), so a refused deploy leaves no release behind.
    /// </summary>
    public async Task<(EnvironmentSpec Spec, EnvironmentState State)> CheckDeployAsync(string environment, Release release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(release);
        var spec = Spec(environment);
        var path = spec.Requires.Count == 0
            ? null
            : $"environment '{spec.Name}' has a promotion path (requires: {string.Join(", ", spec.Requires)}), so deploy is refused there; " +
                $"run: glidepath promote {release.Name} --env {spec.Name} (or glidepath rollout start {release.Name} --env {spec.Name} for a gradual canary)";
        if (path is null)
        {
            EnvironmentGuard.EnsurePromptVariablesProvided(spec, release, "deploy");
        }

        // The promotion path and a freeze, both at once when both refuse (newcomer trial L12).
        var state = await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        string[] refusals = [.. new[] { path, EnvironmentGuard.FrozenRefusal(state, "deploy") }.OfType<string>()];
        if (refusals.Length > 0)
        {
            throw EnvironmentGuard.Refusals($"cannot deploy {release.Name} to {spec.Name}", refusals);
        }

        await EnsureNoCanaryAsync(state, "deploy", cancellationToken).ConfigureAwait(false);
        return (spec, state);
    }

    /// <summary>
    /// Checks <paramref name="release"/> against the environment's promotion policy as of <paramref name="state"/>
    /// without changing anything (the path, the gate, and the judge's standing verdicts of harm on the release there,
    /// with the paired judge's decision now on an active shadow of it);
    /// <c>rollout start</c> uses the same check before it starts a canary.
    /// </summary>
    public async Task<PromotionAssessment> AssessAsync(EnvironmentSpec spec, EnvironmentState state, Release release, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(release);
        var histories = new Dictionary<string, IReadOnlyList<EnvironmentEvent>>(StringComparer.Ordinal);
        foreach (var required in spec.Requires)
        {
            histories[required] = await environments.HistoryAsync(manifest.App, required, cancellationToken).ConfigureAwait(false);
        }

        var gate = state.StableReleaseId is { } baseline
            ? await CountingVerdict.ReadAsync(verdicts, manifest, release.Id, baseline, cancellationToken).ConfigureAwait(false)
            : null;
        // The judge's verdicts on the release in this environment: a release never judged here has none (nor does one
        // checked before it is registered, promote working), which costs one history read. An active shadow of the release
        // whose pairs the paired judge finds harmful now counts as the newest (trial dash2 #1: a deployer started a rollout
        // of a release its running shadow showed as harm, and real users got it until the controller rolled it back).
        var history = await environments.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var harms = JudgedHarms.Standing(history, release.Id);
        var shadowing = new ShadowService(manifest, this, environments, shadows, time);
        if (await shadowing.ActiveHarmAsync(state, history, release.Id, cancellationToken).ConfigureAwait(false) is { } live)
        {
            harms = [live, .. harms];
        }

        var stored = await NamesAsync([state.StableReleaseId, .. harms.Select(h => h.AgainstReleaseId)], cancellationToken).ConfigureAwait(false);
        // The release assessed is named as given: a release checked before it is registered (promote working) is not in the store.
        return PromotionPolicy.Assess(spec, state, release.Id, histories, gate, manifest, id => id == release.Id ? release.Name : stored(id), harms);
    }

    /// <summary>The kill switch: while frozen, deploy, promote and rollout start are refused; rollback stays allowed.</summary>
    public async Task<EnvironmentOutcome> FreezeAsync(string environment, string actor, string reason, CancellationToken cancellationToken)
    {
        var spec = Spec(environment);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new BadInputException("freeze needs --reason \"...\": everyone refused while it is frozen sees why");
        }

        var state = await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        if (state.Frozen)
        {
            return new EnvironmentOutcome(state, null, $"{spec.Name} is already frozen (\"{state.FrozenReason}\"); nothing changed");
        }

        var details = new JsonObject { ["stable_release_id"] = state.StableReleaseId };
        try
        {
            return await ApplyAsync(state, state with { Frozen = true, FrozenReason = reason }, EnvironmentEventKinds.Freeze, null, null, actor, reason, false, details, cancellationToken).ConfigureAwait(false);
        }
        catch (PolicyException)
        {
            // Lost a race to another freeze: the environment is as asked, which is not a refusal.
            var now = await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
            if (!now.Frozen)
            {
                throw;
            }

            return new EnvironmentOutcome(now, null, $"{spec.Name} is already frozen (\"{now.FrozenReason}\"); nothing changed");
        }
    }

    public async Task<EnvironmentOutcome> UnfreezeAsync(string environment, string actor, string? reason, CancellationToken cancellationToken)
    {
        var spec = Spec(environment);
        var state = await environments.GetAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        if (!state.Frozen)
        {
            return new EnvironmentOutcome(state, null, $"{spec.Name} is not frozen; nothing changed");
        }

        // was_frozen_for_seconds is how long (from the last freeze event; until 2026-12-06 stored as was_frozen_for,
        // d.hh:mm:ss, which older events keep); the reason given then is frozen_reason.
        var history = await environments.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var frozenAt = history.LastOrDefault(e => e.Kind == EnvironmentEventKinds.Freeze)?.Time;
        var details = new JsonObject { ["frozen_reason"] = state.FrozenReason };
        if (frozenAt is { } at)
        {
            details["frozen_at"] = at;
            details["was_frozen_for_seconds"] = Math.Round((time.GetUtcNow() - at).TotalSeconds, 3);
        }

        return await ApplyAsync(state, state with { Frozen = false, FrozenReason = null }, EnvironmentEventKinds.Unfreeze, null, null, actor, reason, false, details, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manifest's environment, or exit 2 naming the declared ones.</summary>
    public EnvironmentSpec Spec(string environment) =>
        manifest.FindEnvironment(environment) ?? throw UnknownEnvironment(manifest, environment);

    /// <summary>The error for an environment <paramref name="manifest"/> does not declare: exit 2, naming those it does.</summary>
    public static BadInputException UnknownEnvironment(Manifest manifest, string environment)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new BadInputException(manifest.Environments.Count == 0
            ? $"unknown environment '{environment}': the manifest declares no environments; add an 'environments:' section to {manifest.FilePath}"
            : $"unknown environment '{environment}'; expected one of: {string.Join(", ", manifest.Environments.Select(e => e.Name))}");
    }

    private Task<EnvironmentOutcome> MoveStableAsync(EnvironmentState state, string kind, string releaseId, string actor, string? reason, bool forced, JsonObject details, CancellationToken cancellationToken)
    {
        var next = state with { StableReleaseId = releaseId, StableSince = time.GetUtcNow(), StableBy = actor };
        return ApplyAsync(state, next, kind, state.StableReleaseId, releaseId, actor, reason, forced, details, cancellationToken);
    }

    private async Task<EnvironmentOutcome> ApplyAsync(
        EnvironmentState state, EnvironmentState next, string kind, string? from, string? to, string actor, string? reason, bool forced, JsonObject details, CancellationToken cancellationToken)
    {
        var ev = new EnvironmentEvent
        {
            App = manifest.App,
            Environment = state.Name,
            Revision = state.Revision + 1,
            Kind = kind,
            Actor = actor,
            Reason = RecordedText.Reason(reason),
            Time = time.GetUtcNow(),
            FromReleaseId = from,
            ToReleaseId = to,
            Forced = forced,
            DetailsJson = details.Count == 0 ? null : details.ToJsonString(),
        };
        var written = await environments.ApplyAsync(new EnvironmentChange
        {
            App = manifest.App,
            Environment = state.Name,
            ExpectedRevision = state.Revision,
            NewState = next,
            Event = ev,
        }, cancellationToken).ConfigureAwait(false);
        var names = await NamesAsync([from, to, next.Shadow?.ReleaseId], cancellationToken).ConfigureAwait(false);
        // "production: v1 → v2 (promote, revision 7)"; an event that moves nothing reads "production: freeze (revision 6)".
        // A rollback that only ends the canary leaves the stable where it was: "v2 → v1" read as if v1 had just come
        // back (trial sdkapp), so it names the canary that ended and the stable that now takes all traffic.
        var what = $"{kind}{(forced ? ", forced" : "")}";
        var endsCanary = state.Canary is { } canary && next.Canary is null && next.StableReleaseId == state.StableReleaseId && to is not null && from == canary.ReleaseId;
        return new EnvironmentOutcome(written, ev with { Revision = written.Revision }, to is null
            ? $"{state.Name}: {what} (revision {written.Revision})"
            : endsCanary
                ? $"{state.Name}: canary {names(from!)} at {state.Canary!.Weight.ToString("0.##", CultureInfo.InvariantCulture)}% ended; all traffic to the stable {names(to)} ({what}, revision {written.Revision})"
                : $"{state.Name}: {(from is null ? "(none)" : names(from))} → {names(to)} ({what}, revision {written.Revision})",
            ShadowNote(state.Name, next.Shadow, kind, from, to, names));
    }

    /// <summary>
    /// A stable change during a shadow changes what the shadow compares with: its later pairs are against the new
    /// stable, and only those are judged from now on (or, when the candidate became stable, nothing is mirrored).
    /// </summary>
    private static string? ShadowNote(string environment, ShadowState? shadow, string kind, string? from, string? to, Func<string, string> names)
    {
        if (shadow is null || to is null || from == to || !EnvironmentEventKinds.ChangesStable(kind))
        {
            return null;
        }

        return to == shadow.ReleaseId
            ? $"note: {names(to)}, the candidate of the active shadow {shadow.ShadowId}, is now the stable release: the shadow mirrors nothing; end it with: glidepath shadow stop --env {environment}"
            : $"note: the active shadow {shadow.ShadowId} of {names(shadow.ReleaseId)} now compares with the new stable release {names(to)}; only its pairs against {names(to)} are judged from now on (glidepath shadow status --env {environment})";
    }

    private async Task EnsureNoCanaryAsync(EnvironmentState state, string action, CancellationToken cancellationToken)
    {
        if (state.Canary is { } canary)
        {
            var names = await NamesAsync([canary.ReleaseId], cancellationToken).ConfigureAwait(false);
            EnvironmentGuard.EnsureNoActiveCanary(state, action, names);
        }
    }

    /// <summary>Display names (v3) for release ids; an id not in the store shows as its first 8 hex digits.</summary>
    private async Task<Func<string, string>> NamesAsync(IEnumerable<string?> ids, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in ids.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            var release = await releases.GetByIdAsync(manifest.App, id, cancellationToken).ConfigureAwait(false);
            map[id] = release?.Name ?? id[..Math.Min(8, id.Length)];
        }

        return id => map.TryGetValue(id, out var n) ? n : id[..Math.Min(8, id.Length)];
    }
}
