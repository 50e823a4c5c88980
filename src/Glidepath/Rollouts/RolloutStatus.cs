namespace Glidepath.Rollouts;

/// <summary>
/// An environment's current (or last) rollout as <c>rollout status</c> shows it: its decisions, and while it is active
/// the judge's verdict on this step's traffic right now, the controller's lease and whether the environment is frozen
/// (then the canary receives no traffic).
/// </summary>
/// <param name="Revision">The environment's revision when it was read (an active rollout only): what the warning's rollback command expects.</param>
public sealed record RolloutStatus(Rollout Rollout, IReadOnlyList<RolloutDecisionRecord> Decisions, JudgeDecision? Live, ControllerLease? Lease, DateTimeOffset Now, bool Frozen = false, long? Revision = null)
{
    /// <summary>The warning of the hold the controller stored at this step (<see cref="HoldWarning.Current"/>), as <c>status</c> shows it; null otherwise.</summary>
    public string? Warning => HoldWarning.Current(Rollout, Decisions, Revision);

    /// <summary>Reads the decisions, and judges the active step from the store's traces (nothing is written).</summary>
    public static async Task<RolloutStatus> ReadAsync(Storage.IGlidepathStore store, Rollout rollout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(rollout);
        var decisions = await store.Rollouts.DecisionsAsync(rollout.Id, cancellationToken).ConfigureAwait(false);
        JudgeDecision? live = null;
        ControllerLease? lease = null;
        var frozen = false;
        long? revision = null;
        if (rollout.IsActive)
        {
            var state = await store.Environments.GetAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
            (frozen, revision) = (state.Frozen, state.Revision);
            lease = await store.Rollouts.LeaseAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
            var (canary, stable, _, _) = await RolloutArms.StepAsync(store.Traces, rollout, cancellationToken).ConfigureAwait(false);
            live = new Judge(JudgePolicy.From(rollout.Plan)).Decide(canary, stable, now - rollout.StepStartedAt);
        }

        return new RolloutStatus(rollout, decisions, live, lease, now, frozen, revision);
    }
}
