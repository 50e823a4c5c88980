using System.Globalization;
using System.Text.Json.Nodes;
using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Storage;

namespace Glidepath.Checklist;

/// <summary>
/// The checklist's <i>canary first</i> row: a rollout of the release that started below 100% and in which a judged
/// step saw real canary traffic. A rollout promoted by hand before any judgment counts as forced, not as a canary.
/// Without one, a rollout of the release that the judge rolled back for harm is named (<see cref="JudgedHarms"/>).
/// </summary>
internal sealed class CanaryFirstCheck(Manifest manifest, IGlidepathStore store, TimeProvider time)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<ChecklistRow> RunAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        const string check = "canary first";
        var action = $"Stop: never send 100% of traffic at once — use glidepath rollout start {release.Name} --env {spec.Name}.";
        var rollout = await RolloutOfAsync(release, spec, ct).ConfigureAwait(false);
        if (rollout is null)
        {
            // A rollout the judge rolled back for harm is not "no rollout": say what it found, as promote's refusal does.
            var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
            if (JudgedHarms.Standing(history, release.Id).FirstOrDefault(h => h.Kind == JudgedHarm.Rollout) is { } harm)
            {
                var state = await store.Environments.GetAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
                var names = new EnvironmentViews(await store.Releases.ListAsync(manifest.App, ct).ConfigureAwait(false));
                var stableNow = harm.AgainstReleaseId == state.StableReleaseId || state.StableReleaseId is null
                    ? ""
                    : $"; {spec.Name}'s stable is {names.Name(state.StableReleaseId)} now, so that comparison no longer holds";
                return new("rollout", check, ChecklistStatus.Fail, $"no active or completed rollout of {release.Name} on {spec.Name}: {harm.Describe(names.Name)}{stableNow}",
                    $"Stop: the judge rolled {release.Name} back for harm on real traffic — fix it and register the fix as a new release (glidepath release create); promote and rollout start refuse {release.Name} against the stable it harmed unless --force --reason \"...\".");
            }

            return new("rollout", check, ChecklistStatus.Fail, $"no active or completed rollout of {release.Name} on {spec.Name}", action);
        }

        var first = rollout.Plan.Steps.Count > 0 ? rollout.Plan.Steps[0] : 100;
        var measured = string.Create(Inv, $"rollout {rollout.Id} {rollout.State}, started at {first:0.##}% (now {rollout.Weight:0.##}%)");
        if (first >= 100)
        {
            return new("rollout", check, ChecklistStatus.Fail, measured + ": the first step was already all of the traffic", action);
        }

        var decisions = await store.Rollouts.DecisionsAsync(rollout.Id, ct).ConfigureAwait(false);
        if (rollout.State == RolloutState.Promoted && await RolledBackSinceAsync(release, spec, rollout, ct).ConfigureAwait(false) is { } back)
        {
            // Trial newcomer4 M3: a release rolled back by hand after its rollout read "pass (now 100%)", and promote put it
            // back at 100% at once. Its canary vouched for it until the rollback; what the rollback found, it does not.
            var why = back.Reason is { Length: > 0 } reason ? $", \"{reason}\"" : "";
            return new("rollout", check, ChecklistStatus.Fail,
                measured + string.Create(Inv, $"; then rolled back from {spec.Name} at revision {back.Revision} by {back.Actor} ({back.Time.ToUniversalTime():yyyy-MM-dd HH:mm} UTC{why}), so it no longer serves there"),
                $"Stop: {release.Name} was rolled back after its rollout, and that canary does not vouch for what the rollback was about — find the cause (glidepath history --env {spec.Name}), then roll it out again (glidepath rollout start {release.Name} --env {spec.Name}) or ship a fixed release.");
        }

        if (decisions.LastOrDefault(IsJudgedWithTraffic) is { } judged)
        {
            return new("rollout", check, ChecklistStatus.Pass,
                measured + string.Create(Inv, $"; the judge saw {judged.CanaryRequests} canary request(s) ({judged.Kind} at {judged.Time.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)"), null);
        }

        // A canary no judge looked at protected nothing: starting at 1% and promoting at once is 100% at once.
        if (rollout.State == RolloutState.Promoted)
        {
            return new("rollout", check, ChecklistStatus.Fail, measured + ": forced — promoted by hand before any judged step saw canary traffic",
                $"Stop: a canary nobody judged is 100% at once. Next time, start with glidepath rollout start REF --env {spec.Name} and let a controller judge real canary traffic before promoting: {Judges(spec)}.");
        }

        // A controller holding the lease is judging: the row passes at its first stored decision, so it is pending (not a
        // failure, nor a pass) and the advice is to wait for it, not to start a controller that runs already.
        var lease = await store.Rollouts.LeaseAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        return lease is not null && lease.IsHeldAt(time.GetUtcNow())
            ? new("rollout", check, ChecklistStatus.Pending, measured + $": the controller ({lease.Holder}) is judging the first step; no judged decision on canary traffic yet",
                $"Wait: the first step's decision is not in yet — run the checklist again after it (glidepath rollout status --env {spec.Name} shows the judge now).")
            : new("rollout", check, ChecklistStatus.Fail, measured + ": no judged step has seen canary traffic yet",
                $"Stop: a canary nobody judged protects nothing. Run a controller so it judges canary traffic before it widens: {Judges(spec)}.");
    }

    /// <summary>
    /// The rollback that took <paramref name="release"/> off the environment after <paramref name="rollout"/> promoted it,
    /// when it has not been the stable since (promoted again by hand); null otherwise.
    /// </summary>
    private async Task<EnvironmentEvent?> RolledBackSinceAsync(Release release, EnvironmentSpec spec, Rollout rollout, CancellationToken ct)
    {
        var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        return StableHistory.RolledBackAndNotStableSince(history, release.Id) is { } back && back.Time >= rollout.StartedAt ? back : null;
    }

    /// <summary>What judges a rollout: a gateway's controller, or the standalone one for apps that serve through the SDK.</summary>
    private static string Judges(EnvironmentSpec spec) =>
        $"glidepath serve --env {spec.Name}, or glidepath controller --env {spec.Name} beside an SDK host";

    /// <summary>A decision made on real canary traffic: by the controller, or carrying the judge's evidence.</summary>
    private static bool IsJudgedWithTraffic(RolloutDecisionRecord d) =>
        d.CanaryRequests > 0 && (d.Actor == RolloutController.Actor || d.EvidenceJson is not null);

    /// <summary>The active or promoted rollout of this release: the latest one, else the one a promotion event names.</summary>
    private async Task<Rollout?> RolloutOfAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        var active = await store.Rollouts.ActiveAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var latest = await store.Rollouts.LatestAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var rollout = new[] { active, latest }.FirstOrDefault(r => r is not null && r.ReleaseId == release.Id && (r.IsActive || r.State == RolloutState.Promoted));
        if (rollout is not null)
        {
            return rollout;
        }

        var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var promoted = history.LastOrDefault(e => e.Kind == EnvironmentEventKinds.RolloutPromoted && e.ToReleaseId == release.Id);
        return RolloutIdOf(promoted?.DetailsJson) is { } id ? await store.Rollouts.GetAsync(id, ct).ConfigureAwait(false) : null;
    }

    private static string? RolloutIdOf(string? detailsJson)
    {
        if (detailsJson is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(detailsJson)?["rollout_id"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
