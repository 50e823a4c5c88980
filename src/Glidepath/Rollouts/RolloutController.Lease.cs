namespace Glidepath.Rollouts;

/// <summary>The controller's leases: taking, renewing and giving them up, and saying once when that changes.</summary>
public sealed partial class RolloutController
{
    /// <summary>
    /// Whether this controller held the lease of a rollout at its last look (the last pass that reached the store): a
    /// controller on standby holds none, so a failure to give leases up on shutdown leaves nothing unattended.
    /// </summary>
    public bool HeldAnyLease => _holding.Values.Any(held => held);

    /// <summary>Gives up every lease this controller holds (on shutdown), so another gateway can take over at once.</summary>
    public async Task ReleaseLeasesAsync(CancellationToken cancellationToken)
    {
        _holding.Clear();
        foreach (var rollout in await rollouts.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            await rollouts.ReleaseLeaseAsync(rollout.App, rollout.Environment, options.Holder, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Takes or renews the rollout's lease. When this controller did not hold it at its last look, the lease is read first:
    /// taking over one that expired without being given up is store trouble (its holder died or lost the store, and the
    /// traces its host and others kept may not be written yet), while one given up on shutdown (no row) needs no wait.
    /// </summary>
    private async Task<bool> AcquireAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        ControllerLease? before = null;
        if (!_holding.TryGetValue(rollout.Id, out var held) || !held)
        {
            before = await rollouts.LeaseAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var holds = await rollouts.TryAcquireLeaseAsync(rollout.App, rollout.Environment, options.Holder, options.LeaseDuration, now, cancellationToken).ConfigureAwait(false);

        // Judged at the moment of taking it: a lease that was still valid when read and then given up is no takeover.
        // A lease that lapsed before this rollout started is a row left by an earlier one (leases are kept per environment,
        // and given up only for active rollouts): no host of this rollout lost the store with it.
        if (holds && before is { } lapsed && lapsed.Holder != options.Holder && !lapsed.IsHeldAt(now) && lapsed.ExpiresAt > rollout.StartedAt)
        {
            _settle.TookOver(rollout.Id, lapsed, now, options.SettleWindow);
        }

        await ReportLeaseAsync(rollout, holds, cancellationToken).ConfigureAwait(false);
        return holds;
    }

    private async Task ReportLeaseAsync(Rollout rollout, bool holds, CancellationToken cancellationToken)
    {
        var key = rollout.Id;
        if (_holding.TryGetValue(key, out var held) && held == holds)
        {
            return;
        }

        _holding[key] = holds;
        if (LeaseChanged is not { } report)
        {
            return;
        }

        if (holds)
        {
            report($"Controlling the rollout {rollout.Id} of {rollout.App}@{rollout.Environment}: this controller ({options.Holder}) holds its lease and acts on it");
            return;
        }

        var lease = await rollouts.LeaseAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
        var holder = lease?.Holder is { } other ? other : "another controller";
        report($"On standby for {rollout.App}@{rollout.Environment}: {holder} holds the lease of rollout {rollout.Id} and acts on it; this controller takes over if that lease is not renewed");
    }
}
