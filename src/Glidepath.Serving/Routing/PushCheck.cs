using System.Threading.Channels;
using Glidepath.Storage;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Checks that the changes a store pushes (PostgreSQL LISTEN/NOTIFY) reach this host. Behind a pooler in transaction
/// mode the LISTEN succeeds on some pooled server session, the watch's heartbeat passes, and no notice ever arrives:
/// rollbacks and revoked keys were followed only at the 5 s safety poll, and nothing said so. So once the watch listens
/// (its first resync), again after every reconnect, and every <see cref="DefaultInterval"/>, this sends a probe the way
/// a change is announced (<see cref="IRevisionWatch.ProbeAsync"/>: one NOTIFY) and waits <see cref="DefaultTimeout"/>
/// for it to come back to the watch. One that does not is logged once, <see cref="ControlPlaneStatus.Changes"/> says
/// so, and the refresher polls every <see cref="FallbackPoll"/> (as <c>--poll-only</c> does) until a probe comes back.
/// The warning names the host and how it turns pushes off in the host's own words (<see cref="ServingOptions.Host"/>).
/// A probe that cannot be sent (the store unreachable) decides nothing: the refresher reports the outage. While the
/// watch's own connection is lost (<see cref="RevisionNotice.Lost"/>, until its next resync) the changes are
/// <see cref="ChangeFeed.Reconnecting"/>, and a probe decides nothing either (trial pgoutage LOW 4: a gateway said
/// <c>pushed</c> through a whole outage).
/// </summary>
internal sealed partial class PushCheck
{
    /// <summary>How often a probe is sent: as often as the watch's heartbeat, so one NOTIFY per heartbeat.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    /// <summary>How long a probe may take to come back: notices arrive within milliseconds of the commit.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How often the refresher polls while pushes do not arrive: <c>--poll-only</c>'s default.</summary>
    public static readonly TimeSpan FallbackPoll = TimeSpan.FromMilliseconds(200);

    private readonly IRevisionWatch _watch;
    private readonly ControlPlaneStatus _status;
    private readonly TimeProvider _time;
    private readonly string _environment;
    private readonly Action _pushesLost;
    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _poll;
    private readonly ServingHost _host;

    // The watch (re)connected: probe at once. Several in a row collapse into one.
    private readonly Channel<bool> _listening = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private volatile Probe? _pending;

    // What the watch said of its connection, and what the probes found, under one lock: the watch's thread and the
    // probe's both change ControlPlaneStatus.Changes. A verdict on a probe sent before the connection was lost is none.
    private readonly Lock _gate = new();
    private int _connection;
    private bool _lost;
    private bool _notArriving;

    /// <param name="pushesLost">Called when a probe did not come back: the refresher stops waiting out its slow poll.</param>
    /// <param name="poll">How often the host polls while pushes arrive (the safety net), for the log line when they arrive again.</param>
    /// <param name="host">How the log names the host and its setting that turns pushes off; default a gateway's.</param>
    public PushCheck(IRevisionWatch watch, ControlPlaneStatus status, TimeProvider time, string environment, TimeSpan poll, Action pushesLost, ILogger logger,
        TimeSpan? interval = null, TimeSpan? timeout = null, ServingHost? host = null)
    {
        _host = host ?? ServingHost.Gateway;
        _watch = watch;
        _status = status;
        _time = time;
        _environment = environment;
        _poll = poll;
        _pushesLost = pushesLost;
        _logger = logger;
        _interval = interval ?? DefaultInterval;
        _timeout = timeout ?? DefaultTimeout;
    }

    /// <summary>Takes every notice the watch reports (on the watch's thread): a resync starts a probe, this host's own probe ends its wait.</summary>
    public void Observe(RevisionNotice notice)
    {
        if (notice.IsLost)
        {
            lock (_gate)
            {
                _connection++;
                _lost = true;
                _status.Changes = ChangeFeed.Reconnecting;
            }
        }
        else if (notice.IsResync)
        {
            lock (_gate)
            {
                if (_lost)
                {
                    // Listening again: what the probe sent now finds decides; until then, what was known before the loss.
                    _lost = false;
                    _status.Changes = _notArriving ? ChangeFeed.PushesNotArriving : ChangeFeed.PushedNotCheckedYet;
                }
            }

            _listening.Writer.TryWrite(true);
        }
        else if (notice.ProbeToken is { } token && _pending is { } pending && string.Equals(pending.Token, token, StringComparison.Ordinal))
        {
            pending.Back.TrySetResult();
        }
    }

    /// <summary>Probes until <paramref name="cancellationToken"/> is cancelled: first once the watch listens, then every interval and after every reconnect.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _listening.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                _listening.Reader.TryRead(out _);
                var connection = Volatile.Read(ref _connection);
                Judge(await ProbeAsync(cancellationToken).ConfigureAwait(false), connection);
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var next = Task.Delay(_interval, _time, wait.Token);
                    var reconnected = _listening.Reader.WaitToReadAsync(wait.Token).AsTask();
                    await Task.WhenAny(next, reconnected).ConfigureAwait(false);
                    await wait.CancelAsync().ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>True: the probe came back; false: it did not within the timeout; null: no verdict (not sent, or the watch reconnected meanwhile).</summary>
    private async Task<bool?> ProbeAsync(CancellationToken cancellationToken)
    {
        var probe = new Probe(Guid.NewGuid().ToString("N"), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending = probe; // before it is sent: it may be back before the NOTIFY's command returns
        try
        {
            await _watch.ProbeAsync(probe.Token, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return null; // the store cannot be reached: the refresher's reads say so
        }

        // Timed from the commit, so a slow pool or a slow server does not count against the notice's delivery.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timeout = Task.Delay(_timeout, _time, wait.Token);
        var reconnected = _listening.Reader.WaitToReadAsync(wait.Token).AsTask();
        var first = await Task.WhenAny(probe.Back.Task, timeout, reconnected).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == probe.Back.Task ? true : first == timeout ? false : null;
    }

    private void Judge(bool? cameBack, int connection)
    {
        var (arriving, lost) = (false, false);
        lock (_gate)
        {
            if (cameBack is null || _lost || connection != _connection)
            {
                return; // no verdict, or one about a connection that is gone: a lost LISTEN says nothing of a pooler
            }

            if (cameBack is true)
            {
                arriving = _notArriving;
                _notArriving = false;
                _status.Changes = ChangeFeed.Pushed;
            }
            else if (!_notArriving)
            {
                _notArriving = lost = true;
                _status.Changes = ChangeFeed.PushesNotArriving;
            }
        }

        if (arriving)
        {
            LogArriving(_logger, _environment, _host.Name, (long)_poll.TotalMilliseconds);
        }

        if (lost)
        {
            LogNotArriving(_logger, _environment, _host.Name, _timeout.TotalSeconds, _host.PushesOff, (long)FallbackPoll.TotalMilliseconds);
            _pushesLost();
        }
    }

    private sealed record Probe(string Token, TaskCompletionSource Back);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changes pushed by the store of {Environment} are not reaching this {Host} (a NOTIFY it sent did not come back within {Seconds} s); a connection pooler in transaction mode cannot hold a LISTEN session: {PushesOff} or connect this {Host} to PostgreSQL directly; following by polling every {Milliseconds} ms meanwhile (logged once, until a NOTIFY comes back)")]
    private static partial void LogNotArriving(ILogger logger, string environment, string host, double seconds, string pushesOff, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Changes pushed by the store of {Environment} reach this {Host} again (a NOTIFY it sent came back): following them as they come, with a poll every {Milliseconds} ms as a safety net")]
    private static partial void LogArriving(ILogger logger, string environment, string host, long milliseconds);
}
