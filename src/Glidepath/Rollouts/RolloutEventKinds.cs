namespace Glidepath.Rollouts;

/// <summary>Environment history event kinds written by rollouts (rollout_promoted is also in EnvironmentEventKinds).</summary>
public static class RolloutEventKinds
{
    public const string Started = "rollout_started";
    public const string Step = "rollout_step";
    public const string Paused = "rollout_paused";
    public const string Resumed = "rollout_resumed";
    public const string Promoted = Glidepath.Environments.EnvironmentEventKinds.RolloutPromoted;
    public const string RolledBack = "rollout_rolled_back";
    public const string Aborted = "rollout_aborted";

    /// <summary>
    /// The step reached its time limit undecided and on_inconclusive: hold keeps the canary at its weight (details: warning
    /// when an estimate is beyond its tolerance); or an advance was held as netted (details: <c>hold: netted</c>, the
    /// p-value and the busiest keys, <see cref="NettedHold.AddTo"/>).
    /// </summary>
    public const string Held = "rollout_held";
}
