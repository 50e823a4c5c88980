using Glidepath.Environments;

namespace Glidepath.Rollouts;

/// <summary>
/// A rollout's state change, applied by the store in one transaction with the environment's compare-and-swap:
/// the rollout row only if it is still at <see cref="ExpectedVersion"/> (0 = insert a new rollout), the
/// environment only if it is still at its expected revision, and the decision appended. Any mismatch changes
/// nothing and throws PolicyException, so a manual rollback, abort or freeze made meanwhile always wins.
/// </summary>
public sealed record RolloutTransition
{
    /// <summary>The rollout after the change (its Version is set by the store to ExpectedVersion + 1).</summary>
    public required Rollout Rollout { get; init; }
    public required long ExpectedVersion { get; init; }
    public required EnvironmentChange Environment { get; init; }
    public required RolloutDecisionRecord Decision { get; init; }
}
