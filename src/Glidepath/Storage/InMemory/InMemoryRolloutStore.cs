using Glidepath.Errors;
using Glidepath.Rollouts;

namespace Glidepath.Storage.InMemory;

/// <summary>
/// Rollouts, their decision logs and the controller leases. A transition holds the environment store's lock, then
/// this store's: the rollout's version check, the environment's compare-and-swap and the decision commit together,
/// or nothing is written.
/// </summary>
internal sealed class InMemoryRolloutStore(InMemoryEnvironmentStore environments, string location) : IRolloutStore
{
    private readonly Lock _sync = new();

    // In the order started: the tie-break between rollouts that started at the same time.
    private readonly List<Rollout> _rollouts = [];
    private readonly Dictionary<string, List<RolloutDecisionRecord>> _decisions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string App, string Environment), ControllerLease> _leases = [];

    public Task<Rollout> TransitionAsync(RolloutTransition transition, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(transition);
            lock (environments.Sync)
            {
                lock (_sync)
                {
                    var rollout = transition.Rollout with { Version = transition.ExpectedVersion + 1 };
                    var at = CheckWrite(rollout, transition.ExpectedVersion);
                    environments.Check(transition.Environment);
                    Write(at, rollout);
                    environments.Commit(transition.Environment);
                    Append(transition.Decision with { RolloutId = rollout.Id });
                    return rollout;
                }
            }
        }, cancellationToken);

    public Task AppendDecisionAsync(RolloutDecisionRecord decision, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(decision);
            lock (_sync)
            {
                if (!_decisions.ContainsKey(decision.RolloutId))
                {
                    throw new OperationalException($"cannot append a decision in the store at {location}: there is no rollout {decision.RolloutId}; nothing was written");
                }

                Append(decision);
            }
        }, cancellationToken);

    public Task<Rollout?> EndExternallyAsync(Rollout ended, long expectedVersion, RolloutDecisionRecord decision, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(ended);
            ArgumentNullException.ThrowIfNull(decision);
            lock (_sync)
            {
                var rollout = ended with { Version = expectedVersion + 1 };
                int at;
                try
                {
                    at = CheckWrite(rollout, expectedVersion);
                }
                catch (PolicyException)
                {
                    return null;
                }

                Write(at, rollout);
                Append(decision with { RolloutId = rollout.Id });
                return rollout;
            }
        }, cancellationToken);

    public Task<Rollout?> ActiveAsync(string app, string environment, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _rollouts.Find(r => r.App == app && r.Environment == environment && r.IsActive);
            }
        }, cancellationToken);

    public Task<Rollout?> LatestAsync(string app, string environment, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return Enumerable.Reverse(_rollouts).Where(r => r.App == app && r.Environment == environment).OrderByDescending(r => r.StartedAt).FirstOrDefault();
            }
        }, cancellationToken);

    public Task<Rollout?> GetAsync(string id, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _rollouts.Find(r => r.Id == id);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<Rollout>> ListActiveAsync(CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<Rollout>>(() =>
        {
            lock (_sync)
            {
                return [.. _rollouts.Where(r => r.IsActive).OrderBy(r => r.StartedAt)];
            }
        }, cancellationToken);

    public Task<IReadOnlyList<RolloutDecisionRecord>> DecisionsAsync(string rolloutId, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<RolloutDecisionRecord>>(() =>
        {
            lock (_sync)
            {
                return _decisions.TryGetValue(rolloutId, out var decisions) ? [.. decisions] : [];
            }
        }, cancellationToken);

    public Task<bool> TryAcquireLeaseAsync(string app, string environment, string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                // Taken when free, renewed by its holder, taken over once the other holder's lease has expired.
                if (_leases.TryGetValue((app, environment), out var lease) && lease.Holder != holder && lease.ExpiresAt > now)
                {
                    return false;
                }

                _leases[(app, environment)] = new ControllerLease(holder, (now + duration).ToUniversalTime());
                return true;
            }
        }, cancellationToken);

    public Task<ControllerLease?> LeaseAsync(string app, string environment, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                return _leases.GetValueOrDefault((app, environment));
            }
        }, cancellationToken);

    public Task ReleaseLeaseAsync(string app, string environment, string holder, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (_sync)
            {
                if (_leases.TryGetValue((app, environment), out var lease) && lease.Holder == holder)
                {
                    _leases.Remove((app, environment));
                }
            }
        }, cancellationToken);

    /// <summary>
    /// Throws unless <paramref name="r"/> can be written at <paramref name="expectedVersion"/> (0 = a new rollout);
    /// returns where it goes (-1 = appended). It changes nothing, so a refusal leaves nothing half-written.
    /// </summary>
    private int CheckWrite(Rollout r, long expectedVersion)
    {
        if (r.IsActive && _rollouts.Exists(o => o.App == r.App && o.Environment == r.Environment && o.Id != r.Id && o.IsActive))
        {
            throw StoreConflicts.ActiveRolloutExists(r.Environment);
        }

        if (expectedVersion == 0)
        {
            return _rollouts.Exists(o => o.Id == r.Id)
                ? throw new OperationalException($"cannot write rollout {r.Id} to the store at {location}: a rollout with this id exists; nothing was written")
                : -1;
        }

        var at = _rollouts.FindIndex(o => o.Id == r.Id && o.Version == expectedVersion);
        return at >= 0 ? at : throw StoreConflicts.RolloutChanged(r.Id, expectedVersion);
    }

    private void Write(int at, Rollout r)
    {
        // Copies through the JSON the SQLite store writes: the same values come back, and no array is shared with the caller.
        var (canaryBaseline, stableBaseline) = RolloutJson.ReadBaseline(RolloutJson.Baseline(r.StepCanaryBaseline, r.StepStableBaseline));
        var stepStartedAt = r.StepStartedAt.ToUniversalTime();
        var endedAt = r.EndedAt?.ToUniversalTime();
        if (at < 0)
        {
            _rollouts.Add(r with
            {
                Plan = RolloutJson.ReadPlan(RolloutJson.Plan(r.Plan)),
                StepStartedAt = stepStartedAt,
                StepCanaryBaseline = canaryBaseline,
                StepStableBaseline = stableBaseline,
                StartedAt = r.StartedAt.ToUniversalTime(),
                EndedAt = endedAt,
            });
            _decisions[r.Id] = [];
            return;
        }

        // A transition moves the rollout through its state machine; what it is (release, plan, seed, start) never changes.
        _rollouts[at] = _rollouts[at] with
        {
            State = r.State,
            StepIndex = r.StepIndex,
            StepStartedAt = stepStartedAt,
            StepCanaryBaseline = canaryBaseline,
            StepStableBaseline = stableBaseline,
            EndedAt = endedAt,
            EndReason = r.EndReason,
            Version = r.Version,
        };
    }

    private void Append(RolloutDecisionRecord decision)
    {
        var decisions = _decisions[decision.RolloutId];
        decisions.Add(decision with { Sequence = decisions.Count + 1, Time = decision.Time.ToUniversalTime() });
    }
}
