namespace Glidepath.Rollouts;

/// <summary>
/// What a pause or resume did: <see cref="Changed"/> is false when the rollout already was as asked (pausing a paused
/// rollout, resuming one that is progressing): nothing is recorded and it is no conflict, as freezing a frozen environment.
/// </summary>
public sealed record RolloutChange(Rollout Rollout, bool Changed);
