namespace Glidepath.Rollouts;

/// <summary>
/// What one controller pass did to one rollout, in one line; <paramref name="RolledBack"/> when it ended in a rollback,
/// <paramref name="Warning"/> when it needs a person (a hold whose estimate is beyond a tolerance).
/// </summary>
public sealed record RolloutAction(string Text, bool RolledBack = false, bool Warning = false)
{
    public override string ToString() => Text;
}
