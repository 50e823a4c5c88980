using Glidepath.Evals.Gate;
using Glidepath.Manifests;

namespace Glidepath.Environments;

/// <summary>
/// An environment's promotion policy: every environment in <c>requires</c> has had the release as its
/// stable, and — when the target already has a stable release — the gate verdict that counts for the release against
/// that stable (<see cref="CountingVerdict"/>: the newest on today's dataset and scorers) passed, and no verdict of harm
/// the judge recorded for the release in the target against that stable still stands (<see cref="JudgedHarms"/>, and
/// the decision on the pairs of an active shadow of it: <c>ShadowService.ActiveHarmAsync</c>). Pure: the caller reads
/// the histories and the evidence.
/// </summary>
public static class PromotionPolicy
{
    public const string FirstReleaseNote = "first release: no baseline to gate against";

    /// <param name="target">The environment promoted into.</param>
    /// <param name="targetState">Its current state (the stable is the gate's baseline).</param>
    /// <param name="releaseId">The release being promoted.</param>
    /// <param name="requiredHistories">History of each environment in <c>target.Requires</c>.</param>
    /// <param name="gate">The gate's evidence for the release against the target's stable (<see cref="CountingVerdict.ReadAsync"/>), or null when there is no stable.</param>
    /// <param name="manifest">For the commands to suggest (whether a required environment itself has requires).</param>
    /// <param name="releaseName">Turns a release id into its display name (v3).</param>
    /// <param name="harms">The judge's standing verdicts of harm on the release in the target, newest first (<see cref="JudgedHarms.Standing"/>, after the active shadow's harm when it has one).</param>
    public static PromotionAssessment Assess(
        EnvironmentSpec target,
        EnvironmentState targetState,
        string releaseId,
        IReadOnlyDictionary<string, IReadOnlyList<EnvironmentEvent>> requiredHistories,
        GateEvidence? gate,
        Manifest manifest,
        Func<string, string> releaseName,
        IReadOnlyList<JudgedHarm> harms)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(harms);
        ArgumentNullException.ThrowIfNull(targetState);
        ArgumentNullException.ThrowIfNull(requiredHistories);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(releaseName);

        var name = releaseName(releaseId);
        var missing = new List<PromotionRequirement>();
        var met = new List<string>();
        foreach (var required in target.Requires)
        {
            var history = requiredHistories.TryGetValue(required, out var h) ? h : [];
            if (StableHistory.HasBeenStable(history, releaseId))
            {
                met.Add(required);
                continue;
            }

            var verb = manifest.FindEnvironment(required) is { Requires.Count: > 0 } ? "promote" : "deploy";
            missing.Add(new PromotionRequirement(
                "requires",
                $"{name} has never been the stable release of {required}, which {target.Name} requires",
                $"glidepath {verb} {name} --env {required}"));
        }

        var baseline = targetState.StableReleaseId;
        string? verdictId = null;
        string? gateNote = null;
        if (baseline is not null)
        {
            var command = $"glidepath gate {name} --baseline env:{target.Name}";
            var against = $"{target.Name}'s stable {releaseName(baseline)}";
            if (gate is null || gate.CandidateReleaseId != releaseId || gate.BaselineReleaseId != baseline)
            {
                missing.Add(new PromotionRequirement("gate", $"no passing gate verdict for {name} against {against}", command));
            }
            else if (!gate.Passed)
            {
                var why = gate.Describe(name, against);
                missing.Add(new PromotionRequirement("gate", gate.Verdict is null ? why : why + "; fix the change and gate it again", command));
            }
            else
            {
                verdictId = gate.Verdict!.Id;
                gateNote = $"gate: {name} {gate.Describe(name, against)}";
            }
        }

        // The judge's harm against the stable this promotion replaces refuses, beside the gate (a passing gate does not
        // outweigh it: the gate ran on the dataset, the judge on real traffic). Against another release the comparison
        // no longer holds: said, not refused.
        var harm = baseline is null ? null : harms.FirstOrDefault(h => h.AgainstReleaseId == baseline);
        if (harm is not null)
        {
            missing.Add(new PromotionRequirement(
                "harm",
                $"the judge found harm in {name} on {target.Name}: {harm.Describe(releaseName)}; a release does not change, so fix it and register the fix as a new release",
                harm.Active ? $"glidepath shadow status --env {target.Name}" : $"glidepath history --env {target.Name}"));
        }

        string? harmNote = null;
        if (harms.FirstOrDefault(h => h.AgainstReleaseId != baseline) is { } elsewhere)
        {
            var now = baseline is null ? $"{target.Name} has no stable release now" : $"{target.Name}'s stable is {releaseName(baseline)} now";
            harmNote = $"note: {name} has an earlier verdict of harm on {target.Name}: {elsewhere.Describe(releaseName)}; {now}, so that comparison no longer holds and does not refuse this";
        }

        return new PromotionAssessment
        {
            Missing = missing,
            RequiresMet = met,
            GateVerdictId = verdictId,
            BaselineReleaseId = baseline,
            Gate = baseline is null ? null : gate,
            GateNote = gateNote,
            Harm = harm,
            HarmNote = harmNote,
        };
    }
}
