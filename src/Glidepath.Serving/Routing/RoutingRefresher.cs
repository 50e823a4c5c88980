using System.Threading.Channels;
using Glidepath.Routing;
using Glidepath.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Polls the environment's revision and swaps in a new routing table when it changes; with a store that pushes its
/// changes (<see cref="IRevisionWatch"/>, PostgreSQL LISTEN/NOTIFY) it refreshes on each notice and polls as a safety net,
/// and often while its <see cref="PushCheck"/> finds that the notices do not arrive. When the store cannot
/// be read the last table stays in service (fail static): the outage is logged once and /readyz reports the
/// control plane stale, while traffic keeps flowing.
/// </summary>
internal sealed partial class RoutingRefresher(
    RoutingTableLoader loader, RoutingTableSource source, ServingReleases releases, ReleaseReadiness readiness, ControlPlaneStatus status, ServingOptions settings, SubjectHasher subjects, Keys.CallerKeys keys,
    Hosting.StoreFollower follower, ILogger<RoutingRefresher> logger) : BackgroundService
{
    private StoreIdentity? _store;

    /// <summary>The hung read last logged: each hung read is logged once.</summary>
    private ControlPlaneStatus.ReadInProgress? _hungLogged;

    /// <summary>Whether the table in service is the last one read with its canary withheld: the next read reloads it.</summary>
    private volatile bool _withheld;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The stale-canary limit is watched on a timer of its own: a read that hangs (a dead mount, a partition that
        // drops packets) never reaches the refresh's failure path, and the limit counts from the last good read.
        // The same timer logs a read that has hung (once per read): it never reaches the failure path's log line either.
        var period = Period(settings.StaleCanaryLimit ?? TimeSpan.FromSeconds(4));
        using var watchdog = settings.Time.CreateTimer(_ => Watch(), null, period, period);
        await (settings.Watch is { } watch ? WatchAndPollAsync(watch, stoppingToken) : PollAsync(stoppingToken)).ConfigureAwait(false);
    }

    private static TimeSpan Period(TimeSpan limit) => TimeSpan.FromTicks(Math.Min(limit.Ticks / 4, TimeSpan.TicksPerSecond));

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval, settings.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await keys.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // A store that pushes its changes (PostgreSQL NOTIFY): refresh as soon as a notice for this environment (or a
    // resync after the watch reconnected) arrives, and otherwise every poll interval, the safety net for a lost notice.
    // Notices that arrive during a refresh collapse into one more refresh, which reads the latest state anyway. While
    // the push check finds that notices do not arrive (a pooler holds the LISTEN), poll as --poll-only does (an SDK
    // app: GlidepathOptions.FollowPushes = false).
    private async Task WatchAndPollAsync(IRevisionWatch watch, CancellationToken stoppingToken)
    {
        var app = settings.Manifest.App;
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var fallback = settings.PollInterval < PushCheck.FallbackPoll ? settings.PollInterval : PushCheck.FallbackPoll;
        var check = new PushCheck(watch, status, settings.Time, settings.Environment, settings.PollInterval, () => wake.Writer.TryWrite(true), logger, host: settings.Host);
        var watching = Task.Run(() => watch.WatchAsync(notice =>
        {
            check.Observe(notice);

            // A lost watch is read at once rather than at the next poll: if the store itself is gone, the control plane
            // turns stale now, not up to a poll interval later on a gateway with no traffic to find it out (trial
            // pgoutage LOW 4); if only the watch's session was cut, it is one read more.
            if (notice.Concerns(app, settings.Environment) || notice.IsLost)
            {
                wake.Writer.TryWrite(true);
            }
        }, stoppingToken), CancellationToken.None);
        var checking = Task.Run(() => check.RunAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    var interval = status.Changes == ChangeFeed.PushesNotArriving ? fallback : settings.PollInterval;
                    var poll = Task.Delay(interval, settings.Time, wait.Token);
                    var notice = wake.Reader.WaitToReadAsync(wait.Token).AsTask();
                    await Task.WhenAny(poll, notice).ConfigureAwait(false);
                    await wait.CancelAsync().ConfigureAwait(false);
                }

                stoppingToken.ThrowIfCancellationRequested();
                wake.Reader.TryRead(out _);
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                await keys.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await checking.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>One poll: reads the revision and reloads the table if it moved.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var app = settings.Manifest.App;
        status.ReadStarted();
        try
        {
            // A store file deleted under the gateway is an error here (stale, serving the last table), and so is one
            // replaced by another store with no stable release for the environment; one replaced by a store that has
            // one is followed (StoreFollower says so): the store already reads the new file, the table is reloaded
            // whatever its revision, and subjects are hashed with the new store's key.
            var replaced = false;
            var sameStore = true;
            if (await follower.ReadAsync(cancellationToken).ConfigureAwait(false) is { } id)
            {
                replaced = _store is not null && Hosting.StoreFollower.IsAnother(_store, id);
                sameStore = _store is null || _store.StoreId == id.StoreId;
                if (replaced || _store is null)
                {
                    subjects.Rekey(id.SubjectKey);
                }

                _store = id;
            }

            var revision = await loader.RevisionAsync(app, settings.Environment, cancellationToken).ConfigureAwait(false);
            if (replaced || _withheld || source.Current is not { } current || current.Revision != revision)
            {
                var table = await loader.LoadAsync(app, settings.Environment, cancellationToken).ConfigureAwait(false);
                var check = releases.Warm(table);
                var previous = source.Current?.Revision;
                if (source.Update(table, fromAnotherStore: replaced || _withheld))
                {
                    readiness.Checked(check);
                    if (sameStore && previous is { } before && table.Revision < before)
                    {
                        // The same store, an older state: a backup put back (or a database restored to a point in time).
                        LogRevisionBack(logger, settings.Environment, before, table.Revision, table.Revision + 1);
                    }

                    LogSwapped(logger, settings.Environment, table.Revision, table.Stable?.Label ?? "none", table.Canary?.Release.Label ?? "none", table.Canary?.Weight ?? 0);
                }

                _withheld = false;
            }

            // By the reads: a write's failure (StoreFailed) is logged by its writer, and so is its recovery.
            if (status.FromReads.Stale)
            {
                LogRecovered(logger, settings.Environment);
            }

            status.Ok();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Once per outage, with the store's own error: also after a read that hung first (its hang was said already).
            if (!status.LastRead.Stale)
            {
                LogStale(logger, settings.Environment, source.Current?.Revision ?? 0, ex.Message);
            }

            status.Failed(ex.Message);
            WithholdCanaryIfStaleTooLong();
        }
        finally
        {
            status.ReadEnded();
        }
    }

    /// <summary>
    /// The watchdog's tick: logs a read that has hung (once per read) and withholds the canary past the stale limit.
    /// Durations are on the monotonic clock (<see cref="ControlPlaneStatus"/>): a step of the wall clock during a read is
    /// neither a hang nor an outage, and withholds no canary (trial longrun #3).
    /// </summary>
    internal void Watch()
    {
        if (status.Reading is { } reading && status.ReadingFor >= settings.HungReadAfter
            && !ReferenceEquals(Interlocked.Exchange(ref _hungLogged, reading), reading))
        {
            LogHung(logger, settings.Environment, source.Current?.Revision ?? 0, (long)settings.HungReadAfter.TotalSeconds);
        }

        WithholdCanaryIfStaleTooLong();
    }

    /// <summary>
    /// Past <see cref="ServingOptions.StaleCanaryLimit"/> without reading the store, the canary is no longer served
    /// here: a rollback made meanwhile cannot reach this process, so it would go on serving a release the owners took
    /// back, to its share of subjects, for as long as the outage lasts. Stable is the known-good release.
    /// </summary>
    private void WithholdCanaryIfStaleTooLong()
    {
        if (settings.StaleCanaryLimit is not { } limit)
        {
            return;
        }

        // Unreadable: the reads fail, counted from the last good one; or a read has hung for the limit, counted only from its
        // own start (a slow read after a long poll interval is not an outage of that length).
        var unreadable = status.UnreadableFor >= limit || status.ReadingFor >= limit;
        if (unreadable
            && source.Current is { Canary: { } canary, CanaryWithheld: false, Frozen: false } table
            && source.Update(table with { CanaryWithheld = true }))
        {
            _withheld = true;
            LogCanaryWithheld(logger, settings.Environment, canary.Release.Label, (long)limit.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store of {Environment} has been unreadable for over {Seconds} s: canary {Canary} is withheld here (every request to stable) until it can be read, since a rollback made meanwhile cannot reach this process")]
    private static partial void LogCanaryWithheld(ILogger logger, string environment, string canary, long seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The revision of {Environment} went back from {Before} to {After} (a backup put back, or a database restored to an earlier point): routing follows the store as it is now; the changes recorded after revision {After} are not in it, and the next change is numbered {Next} again with other content (glidepath history --env {Environment})")]
    private static partial void LogRevisionBack(ILogger logger, string environment, long before, long after, long next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing for {Environment} now at revision {Revision}: stable {Stable}, canary {Canary} at {Weight}%")]
    private static partial void LogSwapped(ILogger logger, string environment, long revision, string stable, string canary, double weight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read environment {Environment} from the store; serving the last routing table (revision {Revision}) until it can (logged once): {Reason}")]
    private static partial void LogStale(ILogger logger, string environment, long revision, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A read of environment {Environment} from the store has not answered for {Seconds} s; serving the last routing table (revision {Revision}) and reporting the control plane stale until it does (logged once per read)")]
    private static partial void LogHung(ILogger logger, string environment, long revision, long seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store readable again for {Environment}; routing follows it")]
    private static partial void LogRecovered(ILogger logger, string environment);
}
