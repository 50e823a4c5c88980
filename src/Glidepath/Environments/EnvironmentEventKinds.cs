namespace Glidepath.Environments;

/// <summary>
/// The kinds of history events written by the environments commands. Events whose kind changes the stable
/// pointer carry the old stable in FromReleaseId and the new one in ToReleaseId; rollback and the promotion
/// path are computed from those.
/// </summary>
public static class EnvironmentEventKinds
{
    public const string Deploy = "deploy";
    public const string Promote = "promote";
    public const string Rollback = "rollback";
    public const string Freeze = "freeze";
    public const string Unfreeze = "unfreeze";

    /// <summary>A rollback drill's result (written by <c>glidepath drill</c>, read by the checklist); moves no pointer.</summary>
    public const string Drill = "drill";

    /// <summary>A rollout that reached 100% and made its canary the stable release (written by rollouts).</summary>
    public const string RolloutPromoted = "rollout_promoted";

    /// <summary>A shadow of ToReleaseId started (details: shadow id, rate, caps); moves no pointer.</summary>
    public const string ShadowStart = "shadow_start";

    /// <summary>A shadow stopped (details: shadow id, pairs, spend and the paired judge's outcome); moves no pointer.</summary>
    public const string ShadowStop = "shadow_stop";

    /// <summary>True when an event of this kind moves the stable pointer to its ToReleaseId.</summary>
    public static bool ChangesStable(string kind) => kind is Deploy or Promote or Rollback or RolloutPromoted;

    /// <summary>
    /// True when an event of this kind can change what a rollback does: it moved the stable, or started or ended a
    /// canary (a rollback ends a canary when there is one, and moves the stable back when there is none). Only the kinds
    /// known to leave both as they were are false (a controller's step or hold, a pause or resume, a freeze, a drill, a
    /// shadow), so a kind added later refuses a guarded rollback until it is judged here.
    /// </summary>
    public static bool ChangesRollback(string kind) => kind is not (
        Freeze or Unfreeze or Drill or ShadowStart or ShadowStop
        or Rollouts.RolloutEventKinds.Step or Rollouts.RolloutEventKinds.Held
        or Rollouts.RolloutEventKinds.Paused or Rollouts.RolloutEventKinds.Resumed);
}
