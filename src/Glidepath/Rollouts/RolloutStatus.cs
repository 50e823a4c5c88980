namespace Glidepath.Rollouts;

/// <summary>
/// An environment's current (or last) rollout as <c>rollout status</c> shows it: its decisions, and while it is active
/// the judge's verdict on this step's traffic right now and the controller's lease.
/// </summary>
public sealed record RolloutStatus(Rollout Rollout, IReadOnlyList<RolloutDecisionRecord> Decisions, JudgeDecision? Live, ControllerLease? Lease, DateTimeOffset Now)
{
    /// <summary>Reads the decisions, and judges the active step from the store's traces (nothing is written).</summary>
    public static async Task<RolloutStatus> ReadAsync(Storage.IGlidepathStore store, Rollout rollout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rollout);
        var decisions = await store.Rollouts.DecisionsAsync(rollout.Id, cancellationToken).ConfigureAwait(false);
        JudgeDecision? live = null;
        ControllerLease? lease = null;
        if (rollout.IsActive)
        {
            lease = await store.Rollouts.LeaseAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
            var (canary, stable, _, _) = await RolloutArms.StepAsync(store.Traces, rollout, cancellationToken).ConfigureAwait(false);
            live = new Judge(JudgePolicy.From(rollout.Plan)).Decide(canary, stable, now - rollout.StepStartedAt);
        }

        return new RolloutStatus(rollout, decisions, live, lease, now);
    }
}
