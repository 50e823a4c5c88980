namespace Glidepath.Rollouts;

/// <summary>
/// Why a rollout ended without promotion, machine-readable beside a decision's kind (<c>cause</c> in the JSON views):
/// derived from the decision's kind and its evidence, so decisions stored before the field existed have one too.
/// </summary>
public static class RolloutCauses
{
    /// <summary>A rollback by the judge: a metric's interval lies wholly beyond its tolerance.</summary>
    public const string Harm = "harm";

    /// <summary>A rollback by the judge: the step reached its time limit undecided and on_inconclusive is rollback.</summary>
    public const string Inconclusive = "inconclusive";

    /// <summary>An abort by a person (<c>rollout abort</c>, or the admin API).</summary>
    public const string Manual = "manual";

    /// <summary>The canary was removed outside the rollout (<c>glidepath rollback</c>, a deploy or a promote): ended_externally.</summary>
    public const string External = "external";

    /// <summary>The cause of a rollback, abort or ended_externally decision; null for every other kind.</summary>
    public static string? Of(string kind, IReadOnlyList<MetricEvidence> evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return kind switch
        {
            RolloutDecisionKinds.Rollback => evidence.Any(e => e.Verdict == "harm") ? Harm : Inconclusive,
            RolloutDecisionKinds.Abort => Manual,
            RolloutDecisionKinds.EndedExternally => External,
            _ => null,
        };
    }
}
