namespace Glidepath.Environments;

/// <summary>
/// One environment as <c>status --format json</c> (or an admin API) shows it. <see cref="RolloutWarning"/> is set while the
/// active rollout is held at its step limit with a metric's estimate beyond its tolerance (Rollouts.HoldWarning).
/// </summary>
public sealed record EnvironmentStatusView(
    string Name, string? Owner, IReadOnlyList<string> Requires, long Revision, ReleaseRefView? Stable,
    DateTimeOffset? StableSince, string? StableBy, bool Frozen, string? FrozenReason, CanaryView? Canary, ShadowStateView? Shadow = null,
    string? RolloutWarning = null);
