using System.Globalization;
using Glidepath.Environments;

namespace Glidepath.Rollouts;

/// <summary>A step held at its time limit undecided (<c>on_inconclusive: hold</c>): recorded once per step, or once more as a warning.</summary>
public sealed partial class RolloutController
{
    /// <summary>
    /// Records a hold as a decision and a <c>rollout_held</c> history event, once per step (the step's clock restarts on
    /// resume, so once per hold) — and once more if a metric's estimate later moves beyond its tolerance, since that hold
    /// is a warning (<see cref="HoldWarning"/>). Nothing else changes: the canary keeps its weight and is judged on.
    /// </summary>
    private async Task<RolloutAction?> HoldAsync(Rollout rollout, EnvironmentState state, JudgeDecision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The revision the hold's own event takes (RolloutWriter records it at state.Revision + 1): the one rollout status
        // and status read afterwards, so every place names one number for one hold (trial netfalse L4: 30 here, 31 there).
        var warning = HoldWarning.For(decision, rollout, state.Revision + 1);
        var log = await rollouts.DecisionsAsync(rollout.Id, cancellationToken).ConfigureAwait(false);
        var held = log.Where(d => d.Kind == RolloutDecisionKinds.Hold && d.StepIndex == rollout.StepIndex && d.Time >= rollout.StepStartedAt).ToList();
        if (held.Count > 0 && (warning is null || held.Any(d => HoldWarning.Warns(RolloutJson.ReadEvidence(d.EvidenceJson)))))
        {
            return null;
        }

        var details = Details();
        var reason = warning is null ? decision.Reason : $"{warning} — {decision.Reason}";
        if (warning is not null && HoldOnErrorRate(decision))
        {
            // Which keys the canary's errors came from: one customer broken reads otherwise as everyone slightly worse (trial segments M1).
            reason = await WithErrorMixAsync(rollout, reason, details, cancellationToken).ConfigureAwait(false);
        }

        var record = RolloutWriter.Decision(rollout, RolloutDecisionKinds.Hold, Actor, reason, now, decision);
        if (warning is not null)
        {
            details["warning"] = warning;
        }

        await RolloutWriter.ApplyAsync(rollouts, rollout, rollout.Version, state, state, RolloutEventKinds.Held, record, false, details, cancellationToken).ConfigureAwait(false);
        return new RolloutAction(string.Create(CultureInfo.InvariantCulture, $"{rollout.Environment}: held at {rollout.Weight:0.##}% — {reason}"), Warning: warning is not null);
    }
}
