namespace Glidepath.Rollouts;

/// <summary>What one controller pass did to one rollout, in one line; <paramref name="RolledBack"/> when it ended in a rollback.</summary>
public sealed record RolloutAction(string Text, bool RolledBack = false)
{
    public override string ToString() => Text;
}
