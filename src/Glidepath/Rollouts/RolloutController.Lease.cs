namespace Glidepath.Rollouts;

/// <summary>
/// The controller's leases: taking, renewing and giving them up, and saying once when that changes. A controller that
/// serves one environment (<see cref="RolloutControllerOptions.App"/> and <see cref="RolloutControllerOptions.Environment"/>
/// both set, as every gateway's and <c>glidepath controller</c>'s is) holds that environment's lease on every pass, with a
/// rollout active there or not, so a rollout just started has its judge already and <c>rollout start</c> can name it.
/// </summary>
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
        var given = new HashSet<(string App, string Environment)>();
        foreach (var rollout in await rollouts.ListActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            if (given.Add((rollout.App, rollout.Environment)))
            {
                await rollouts.ReleaseLeaseAsync(rollout.App, rollout.Environment, options.Holder, cancellationToken).ConfigureAwait(false);
            }
        }

        if (Served() is { } served && given.Add(served))
        {
            await rollouts.ReleaseLeaseAsync(served.App, served.Environment, options.Holder, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The one environment this controller serves, whose lease it holds with no rollout active there; null when it serves several.</summary>
    private (string App, string Environment)? Served() =>
        options is { App: { } app, Environment: { } environment } ? (app, environment) : null;

    /// <summary>The key of <see cref="_holding"/> for the lease of the served environment while no rollout is active there (rollout ids start "ro-").</summary>
    private static string ServedKey((string App, string Environment) served) => $"env:{served.App}@{served.Environment}";

    /// <summary>
    /// Takes or renews the lease of the environment this controller serves while no rollout is active there: one write a
    /// pass, as with a rollout. Nothing else is judged; the lease says that a controller runs, so a rollout started next
    /// is judged from its first pass and <c>rollout start</c> names its judge (<see cref="UnjudgedWarning.AtStart"/>).
    /// </summary>
    private async Task HoldServedAsync((string App, string Environment) served, CancellationToken cancellationToken)
    {
        var holds = await rollouts.TryAcquireLeaseAsync(served.App, served.Environment, options.Holder, options.LeaseDuration, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var key = ServedKey(served);
        if (_holding.TryGetValue(key, out var held) && held == holds)
        {
            return;
        }

        _holding[key] = holds;
        if (LeaseChanged is not { } report)
        {
            return;
        }

        var where = $"{served.App}@{served.Environment}";
        if (holds)
        {
            report($"Controlling {where}: this controller ({options.Holder}) holds its lease; no rollout is active there, and it judges the next one started");
            return;
        }

        var lease = await rollouts.LeaseAsync(served.App, served.Environment, cancellationToken).ConfigureAwait(false);
        var holder = lease?.Holder is { } other ? other : "another controller";
        report($"On standby for {where}: {holder} holds the lease and judges the rollouts started there; this controller takes over if that lease is not renewed");
    }

    /// <summary>
    /// Takes or renews the rollout's lease. When this controller did not hold it at its last look, the lease is read first:
    /// taking over one that expired without being given up is store trouble (its holder died or lost the store, and the
    /// traces its host and others kept may not be written yet), while one given up on shutdown (no row) needs no wait.
    /// Holding the served environment's lease at the last look (no rollout was active there) counts as holding it.
    /// </summary>
    private async Task<bool> AcquireAsync(Rollout rollout, CancellationToken cancellationToken)
    {
        var served = Served() is { } s && s == (rollout.App, rollout.Environment) ? ServedKey(s) : null;
        ControllerLease? before = null;
        if ((!_holding.TryGetValue(rollout.Id, out var held) || !held) && (served is null || !_holding.TryGetValue(served, out var idle) || !idle))
        {
            before = await rollouts.LeaseAsync(rollout.App, rollout.Environment, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var holds = await rollouts.TryAcquireLeaseAsync(rollout.App, rollout.Environment, options.Holder, options.LeaseDuration, now, cancellationToken).ConfigureAwait(false);

        // Judged at the moment of taking it: a lease that was still valid when read and then given up is no takeover.
        // A lease that lapsed before this rollout started is a row left from before it (a controller that died with no
        // rollout active, or one of a glidepath that held leases only during rollouts): no host of this rollout lost the
        // store with it.
        if (holds && before is { } lapsed && lapsed.Holder != options.Holder && !lapsed.IsHeldAt(now) && lapsed.ExpiresAt > rollout.StartedAt)
        {
            _settle.TookOver(rollout.Id, lapsed, now, options.SettleWindow);
        }

        if (served is not null)
        {
            // Once the rollout ends the served environment's lease goes on as it is now, without a second report.
            _holding[served] = holds;
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
