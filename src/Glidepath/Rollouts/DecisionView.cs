namespace Glidepath.Rollouts;

/// <summary>One stored rollout decision with its evidence, as JSON output (or an admin API) shows it.</summary>
public sealed record DecisionView(
    long Sequence, string Kind, int Step, double Weight, string Actor, string Reason, long CanaryRequests, long StableRequests,
    IReadOnlyList<MetricEvidence> Evidence, DateTimeOffset Time)
{
    public static DecisionView From(RolloutDecisionRecord d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new DecisionView(
            d.Sequence, d.Kind, d.StepIndex + 1, d.Weight, d.Actor, d.Reason, d.CanaryRequests, d.StableRequests, RolloutJson.ReadEvidence(d.EvidenceJson), d.Time);
    }
}
