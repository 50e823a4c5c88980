using System.Globalization;
using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Shadow;
using Glidepath.Storage;

namespace Glidepath.Checklist;

/// <summary>
/// The checklist's <i>shadow</i> row: evidence before the canary. A shadow of the release whose pairs against the
/// environment's stable release the paired judge passes is a pass, unless any shadow of it against that stable was
/// judged harm, which fails (<see cref="ShadowEvidence"/>); no shadow, one still collecting, or one stopped before a decision, does not apply (a shadow is optional evidence, unless <c>rollout start --require-shadow</c> asks for it).
/// </summary>
internal sealed class ShadowCheck(Manifest manifest, IGlidepathStore store, TimeProvider time)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public async Task<ChecklistRow> RunAsync(Release release, EnvironmentSpec spec, CancellationToken ct)
    {
        const string check = "shadow";
        var environments = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, time);
        var service = new ShadowService(manifest, environments, store.Environments, store.Shadows, time);
        var state = await store.Environments.GetAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);

        // Once the release is stable its pairs were against the release it replaced: judge those (a harm against an
        // older stable, before another release came between, is not evidence about this step). With no such release
        // (the first one), any pairs count.
        var history = await store.Environments.HistoryAsync(manifest.App, spec.Name, ct).ConfigureAwait(false);
        var stable = ShadowService.JudgedAgainst(state.StableReleaseId, release.Id, history);
        var evidence = await service.EvidenceAsync(spec.Name, release.Id, stable, ct).ConfigureAwait(false);
        if (evidence.Harmed is { } harmed)
        {
            return new("rollout", check, ChecklistStatus.Fail, $"shadow {harmed.Shadow.ShadowId}: {harmed.Decision.Reason}",
                $"Stop: on the same real inputs {release.Name} answered worse than the stable release — fix it before any user sees it (glidepath shadow status --env {spec.Name}); a later shadow of the same release does not undo this.");
        }

        if (evidence.Passed is { } passed)
        {
            return new("rollout", check, ChecklistStatus.Pass, string.Create(Inv,
                $"shadow {passed.Shadow.ShadowId} passed on {passed.Decision.Pairs} pairs from {passed.Decision.EffectiveSubjects:0.#} effective subjects (started {passed.StartedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC)"), null);
        }

        // A stopped shadow collects nothing more: it will not conclude, whatever its last decision said.
        return evidence.Latest is { } latest
            ? new("rollout", check, ChecklistStatus.Skip, latest.Active
                ? $"shadow {latest.Shadow.ShadowId} is still collecting: {latest.Decision.Reason}"
                : string.Create(Inv, $"shadow {latest.Shadow.ShadowId} was stopped{(latest.StoppedAt is { } at ? $" at {at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC" : "")} before the paired judge decided ({latest.Decision.Reason}); it will not conclude (optional: glidepath shadow start {release.Name} --env {spec.Name} starts another)"), null)
            : new("rollout", check, ChecklistStatus.Skip,
                $"no shadow of {release.Name} on {spec.Name} (optional: glidepath shadow start {release.Name} --env {spec.Name} --rate 0.1 judges it on real inputs before any user sees it)", null);
    }
}
