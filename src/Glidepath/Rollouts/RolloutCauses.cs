using Glidepath.Manifests;

namespace Glidepath.Rollouts;

/// <summary>
/// Why a rollout ended without promotion, machine-readable beside a decision's kind (<c>cause</c> in the JSON views and
/// in the history event's details): derived from the decision's kind, its evidence and the rollout's plan, so decisions
/// stored before the field existed have one too.
/// </summary>
public static class RolloutCauses
{
    /// <summary>A rollback by the judge: a metric's interval lies wholly beyond its tolerance.</summary>
    public const string Harm = "harm";

    /// <summary>A rollback by the judge: the step reached its time limit undecided and on_inconclusive is rollback.</summary>
    public const string Inconclusive = "inconclusive";

    /// <summary>A rollback by the judge: under on_inconclusive: hold the step held for max_hold past its time limit.</summary>
    public const string Deadline = "deadline";

    /// <summary>An abort by a person (<c>rollout abort</c>, or the admin API).</summary>
    public const string Manual = "manual";

    /// <summary>The canary was removed outside the rollout (<c>glidepath rollback</c>, a deploy or a promote): ended_externally.</summary>
    public const string External = "external";

    /// <summary>
    /// The cause of a rollback, abort or ended_externally decision; null for every other kind. A rollback without harm is
    /// a deadline when the plan holds on inconclusive (the judge then rolls back without harm only at max_hold), else
    /// on_inconclusive: rollback.
    /// </summary>
    public static string? Of(string kind, IReadOnlyList<MetricEvidence> evidence, RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(plan);
        return kind switch
        {
            RolloutDecisionKinds.Rollback when evidence.Any(e => e.Verdict == "harm") => Harm,
            RolloutDecisionKinds.Rollback => JudgePolicy.RollsBackWhenInconclusive(plan) ? Inconclusive : Deadline,
            RolloutDecisionKinds.Abort => Manual,
            RolloutDecisionKinds.EndedExternally => External,
            _ => null,
        };
    }
}
