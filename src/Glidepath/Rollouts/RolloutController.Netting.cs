using System.Globalization;
using Glidepath.Environments;
using Glidepath.Routing;

namespace Glidepath.Rollouts;

/// <summary>
/// An advance held when the one-arm errors the judge netted came from different callers (outside trial attacker3, HIGH 1).
/// </summary>
/// <remarks>
/// <c>error_rate</c> credits a canary with fewer refusals of the request and timeouts than stable only within chance
/// (Judge.OneArm.cs), but it nets the two arms' such errors against each other whoever sent the requests: a canary timing
/// out on 5% of ordinary callers' requests was promoted against a key that made stable time out on 5.7% of its own. The
/// aggregates keep no caller key, so this is checked from the error traces (the newest 1,000 per arm) when an advance is
/// about to be applied: when the canary's such errors are material (at least half the tolerance of its requests) and the
/// two arms' shares per key differ beyond chance (<see cref="NettedCallers"/>' p-value below <see cref="NettedAlpha"/>,
/// whole subjects moved between the arms as the split does), the advance is held with the keys named, once per step (a
/// <c>netted</c> decision and a <c>rollout_held</c> history event with <c>hold: netted</c>), and a person advances it with
/// <c>rollout promote</c> after looking. Until the morning of 2026-12-07 an overlap of the
/// shares below <see cref="NettedOverlap"/> alone decided, and a healthy canary with a few refusals from a few of many
/// callers was held by chance; until that afternoon both had to hold, and an attacker lifted the overlap above one half
/// with requests both arms refuse (outside trial attacker4). Where both arms refuse the same callers' requests (one
/// model's limits shared by both), the shares differ only by chance and nothing is held.
/// </remarks>
public sealed partial class RolloutController
{
    /// <summary>
    /// The overlap of the two arms' per-key shares of one-arm errors (Σ min) below which the first rule held (until
    /// 2026-12-07; kept for the bench's "before"): the p-value alone decides now.
    /// </summary>
    public const double NettedOverlap = 0.5;

    /// <summary>
    /// The p-value below which the arms' shares by key differ beyond chance: an advance of a canary whose errors come from
    /// the same callers as stable's is held in at most this share of steps.
    /// </summary>
    public const double NettedAlpha = 0.001;

    private async Task<NettedHold?> NettedAcrossCallersAsync(Rollout rollout, JudgeDecision decision, ArmSample canary, ArmSample stable, CancellationToken cancellationToken)
    {
        var evidence = decision.Evidence.FirstOrDefault(e => e.Metric == "error_rate");
        if (evidence?.Estimate is null || canary.OneArmErrors <= 0 || stable.OneArmErrors <= 0 || canary.Requests <= 0
            || (double)canary.OneArmErrors / canary.Requests < evidence.Tolerance / 2)
        {
            return null;
        }

        var canaryMix = await ErrorMix.ReadAsync(traces, rollout, rollout.ReleaseId, Arm.Canary, cancellationToken).ConfigureAwait(false);
        var stableMix = await ErrorMix.ReadAsync(traces, rollout, rollout.BaselineReleaseId, Arm.Stable, cancellationToken).ConfigureAwait(false);
        // The p-value alone decides: the overlap is shown, not a gate (outside trial attacker4: an attacker that also sent
        // requests both arms refuse, under its own key, lifted the overlap to 0.56 and the check was skipped).
        var overlap = NettedCallers.Overlap(canaryMix.RefusalsByKey, stableMix.RefusalsByKey);
        if (canaryMix.Refusals == 0 || stableMix.Refusals == 0)
        {
            return null;
        }

        var p = NettedCallers.PValue(canaryMix.RefusalSources, stableMix.RefusalSources);
        if (p >= NettedAlpha)
        {
            return null;
        }

        var reason = string.Create(CultureInfo.InvariantCulture,
            $"safe to advance on the judge's figures, but held: the canary's refusals of the request and timeouts ({(double)canary.OneArmErrors / canary.Requests:0.####} of its requests; {Keys(canaryMix)}) and stable's ({(double)stable.OneArmErrors / stable.Requests:0.####}; {Keys(stableMix)}) came from different callers (their shares by key overlap {overlap:0.##}, beyond chance: p {p:0.####}), and error_rate nets one caller's against another's: stable's may hide the canary's own (docs/security.md, \"Aiming at one arm\"); check with glidepath traces list --env {rollout.Environment} --failed --key KEY, then advance by hand with glidepath rollout promote --env {rollout.Environment} --reason \"…\" or end it with glidepath rollout abort --env {rollout.Environment}");
        return new NettedHold(reason, p, overlap, canaryMix.RefusalsByKey.Count, [.. Busiest(canaryMix).Select(k => k.Key)], stableMix.RefusalsByKey.Count, [.. Busiest(stableMix).Select(k => k.Key)]);
    }

    /// <summary>
    /// Records a hold of <paramref name="kind"/> (netted, key_harm) once per step: the decision and, in the same
    /// transition, a <c>rollout_held</c> history event whose details <paramref name="addTo"/> fills with the hold's
    /// figures, so <c>glidepath history</c> shows it as it shows an undecided one. A step begun again (<c>rollout
    /// promote</c>, or a resume after a pause) that is held again records it again; a later check of the same step that
    /// still finds it records nothing.
    /// </summary>
    private async Task<RolloutAction?> HeldOnceAsync(Rollout rollout, EnvironmentState state, string kind, string reason, Action<System.Text.Json.Nodes.JsonObject> addTo, JudgeDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var log = await rollouts.DecisionsAsync(rollout.Id, cancellationToken).ConfigureAwait(false);
        if (log.Any(d => d.Kind == kind && d.StepIndex == rollout.StepIndex && d.Time >= rollout.StepStartedAt))
        {
            return null;
        }

        var record = RolloutWriter.Decision(rollout, kind, Actor, reason, now, decision);
        var details = Details();
        addTo(details);
        await RolloutWriter.ApplyAsync(rollouts, rollout, rollout.Version, state, state, RolloutEventKinds.Held, record, false, details, cancellationToken).ConfigureAwait(false);
        return new RolloutAction($"{rollout.Environment}: {kind} — {reason}", Warning: true);
    }

    /// <summary>
    /// "held as netted past max_hold 10m0s beyond the step's limit 30m0s, …" when the step has run <c>max_duration +
    /// max_hold</c> (the deadline of an undecided hold), else null: without max_hold a hold of <paramref name="kind"/>
    /// waits for a person, as any hold does.
    /// </summary>
    private static string? PastMaxHold(Rollout rollout, TimeSpan elapsed, string kind) =>
        rollout.Plan.MaxHold is { } maxHold && elapsed >= rollout.Plan.MaxDuration + maxHold
            ? $"held as {kind} past max_hold {RolloutView.Duration(maxHold)} beyond the step's limit {RolloutView.Duration(rollout.Plan.MaxDuration)}, rolled back as an undecided hold is"
            : null;

    /// <summary>"from 5 keys, most from 'alice' (176), 'bob' (40), 'carol' (12)", or "without a key" when none came with one.</summary>
    private static string Keys(ErrorMix mix)
    {
        var keyed = Busiest(mix);
        if (keyed.Count == 0)
        {
            return "without a key";
        }

        var count = mix.RefusalsByKey.Count;
        var most = string.Join(", ", keyed.Select(p => string.Create(CultureInfo.InvariantCulture, $"'{p.Key}' ({p.Value})")));
        return string.Create(CultureInfo.InvariantCulture, $"from {count} {(count == 1 ? "key" : "keys")}, most from {most}");
    }

    /// <summary>
    /// The three keys most of an arm's refusals and timeouts came from, most first (ties by name), never requests without a
    /// key: the three busiest, not one, since a spread attack's other keys are what a person looks up next (trial attacker4 LOW 6).
    /// </summary>
    private static List<KeyValuePair<string, int>> Busiest(ErrorMix mix) =>
        [.. mix.RefusalsByKey.Where(p => p.Key.Length > 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(3)];
}
