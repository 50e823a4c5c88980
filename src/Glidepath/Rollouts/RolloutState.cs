namespace Glidepath.Rollouts;

/// <summary>The rollout state machine: progressing(step i) ⇄ paused → promoted | rolled_back | aborted.</summary>
public static class RolloutState
{
    public const string Progressing = "progressing";
    public const string Paused = "paused";
    public const string Promoted = "promoted";
    public const string RolledBack = "rolled_back";
    public const string Aborted = "aborted";

    /// <summary>True while the rollout holds the environment's canary.</summary>
    public static bool IsActive(string state) => state is Progressing or Paused;
}
