using Glidepath.Rollouts;

namespace Glidepath.Storage;

/// <summary>Rollouts, their decision logs and the controller lease (one controller acts per environment).</summary>
public interface IRolloutStore
{
    /// <summary>Applies a transition atomically with the environment's compare-and-swap, or throws PolicyException and writes nothing.</summary>
    Task<Rollout> TransitionAsync(RolloutTransition transition, CancellationToken cancellationToken);

    /// <summary>Appends a decision that changes no state (a hold, a note that the environment is frozen).</summary>
    Task AppendDecisionAsync(RolloutDecisionRecord decision, CancellationToken cancellationToken);

    /// <summary>Ends an active rollout whose canary was removed by someone else (manual rollback), if still at <paramref name="expectedVersion"/>.</summary>
    Task<Rollout?> EndExternallyAsync(Rollout ended, long expectedVersion, RolloutDecisionRecord decision, CancellationToken cancellationToken);

    /// <summary>The progressing or paused rollout of an environment, or null.</summary>
    Task<Rollout?> ActiveAsync(string app, string environment, CancellationToken cancellationToken);

    /// <summary>The most recently started rollout of an environment, in any state, or null.</summary>
    Task<Rollout?> LatestAsync(string app, string environment, CancellationToken cancellationToken);

    Task<Rollout?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every active rollout of every app (for the controller), oldest first.</summary>
    Task<IReadOnlyList<Rollout>> ListActiveAsync(CancellationToken cancellationToken);

    /// <summary>Decisions oldest first.</summary>
    Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(string rolloutId, CancellationToken cancellationToken);

    /// <summary>Takes or renews the controller lease of an environment; false when another holder's lease has not expired.</summary>
    Task<bool> TryAcquireLeaseAsync(string app, string environment, string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>The environment's controller lease as last written (possibly expired); null when none was ever taken or it was given up.</summary>
    Task<ControllerLease?> LeaseAsync(string app, string environment, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (only if <paramref name="holder"/> holds it).</summary>
    Task ReleaseLeaseAsync(string app, string environment, string holder, CancellationToken cancellationToken);
}
