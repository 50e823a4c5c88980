namespace Glidepath.Rollouts;

/// <summary>Kinds of entries in a rollout's decision log.</summary>
public static class RolloutDecisionKinds
{
    public const string Start = "start";
    public const string Advance = "advance";
    public const string Promote = "promote";
    public const string Rollback = "rollback";
    public const string Hold = "hold";
    public const string Frozen = "frozen";

    /// <summary>
    /// Safe to advance (or undecided at the step's limit), but held after store trouble until the traces the gateways kept
    /// meanwhile can have been written (<see cref="RolloutControllerOptions.SettleWindow"/>); recorded once per episode.
    /// </summary>
    public const string Settling = "settling";

    /// <summary>
    /// Safe to advance (or undecided at the step's limit), but held because the store is at a schema newer than this
    /// controller knows: a newer glidepath migrated it, and may record in the plan or the traces what this one cannot
    /// read. Recorded once per step; harm still rolls back.
    /// </summary>
    public const string Outdated = "outdated";

    /// <summary>
    /// Safe to advance, but held because the canary's refusals of the request and timeouts and stable's came from different
    /// callers, so the judge netted one caller's against another's (<see cref="RolloutController"/>, docs/security.md "Aiming at
    /// one arm"); recorded once per step, with a <c>rollout_held</c> history event (<see cref="NettedHold"/>); a person
    /// advances it with <c>rollout promote</c>. Harm still rolls back.
    /// </summary>
    public const string Netted = "netted";

    /// <summary>
    /// Safe to advance, but held because the canary fails one caller key beyond stable by more than error_rate's tolerance,
    /// beyond chance (<see cref="KeyHarm"/>; outside trial segments H1); recorded once per step, with a <c>rollout_held</c>
    /// history event (<see cref="KeyHarmHold"/>); never rolled back automatically: a person rolls back or advances it with
    /// <c>rollout promote</c>. Harm still rolls back.
    /// </summary>
    public const string KeyHarm = "key_harm";

    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Abort = "abort";

    /// <summary>The canary was removed outside the rollout (a manual rollback): the rollout ends without touching the environment.</summary>
    public const string EndedExternally = "ended_externally";
}
