namespace Glidepath.Rollouts;

/// <summary>
/// One stored rollout decision with its evidence, as JSON output (or an admin API) shows it; <see cref="Cause"/> says
/// why a rollback, abort or ended_externally decision ended the rollout (<see cref="RolloutCauses"/>), null otherwise.
/// </summary>
public sealed record DecisionView(
    long Sequence, string Kind, string? Cause, int Step, double Weight, string Actor, string Reason, long CanaryRequests, long StableRequests,
    IReadOnlyList<MetricEvidence> Evidence, DateTimeOffset Time)
{
    /// <param name="plan">The plan of the rollout the decision belongs to: a rollback's cause depends on its on_inconclusive.</param>
    public static DecisionView From(RolloutDecisionRecord d, Manifests.RolloutPlan plan)
    {
        ArgumentNullException.ThrowIfNull(d);
        var evidence = RolloutJson.ReadEvidence(d.EvidenceJson);
        return new DecisionView(
            d.Sequence, d.Kind, RolloutCauses.Of(d.Kind, evidence, plan), d.StepIndex + 1, d.Weight, d.Actor, d.Reason, d.CanaryRequests, d.StableRequests, evidence, d.Time);
    }
}
