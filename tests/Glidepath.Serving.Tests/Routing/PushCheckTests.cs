using System.Collections.Concurrent;
using Glidepath.Serving.Routing;
using Glidepath.Storage;
using Glidepath.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Routing;

/// <summary>
/// An outside trial: behind PgBouncer in transaction mode a gateway's LISTEN succeeded, its heartbeat passed, and no
/// notice ever arrived; rollbacks took the 5 s safety poll and nothing said so. The push check sends a probe the way a
/// change is announced and expects it back. On a fake clock: every wait of the check is one timer, so the test advances
/// time only once the check waits on it, and nothing depends on how fast the machine is.
/// </summary>
public sealed class PushCheckTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly TimerSignallingTime _time = new();
    private readonly ScriptedWatch _watch = new();
    private readonly ControlPlaneStatus _status;
    private readonly CapturedLog<PushCheck> _log = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly PushCheck _check;
    private readonly Task _running;
    private int _woken;

    public PushCheckTests()
    {
        _status = new ControlPlaneStatus(_time, TimeSpan.FromSeconds(5)) { Changes = ChangeFeed.PushedNotCheckedYet };
        _check = new PushCheck(_watch, _status, _time, "staging", TimeSpan.FromSeconds(5), () => Interlocked.Increment(ref _woken), _log, Interval, Timeout);
        _watch.Deliver = _check.Observe;
        _running = _check.RunAsync(_stop.Token);
    }

    [Fact]
    public async Task ProbeComesBack_PushedAndNothingLogged()
    {
        _check.Observe(RevisionNotice.Resync); // the watch listens

        await _time.TimersAsync(2); // the probe's timeout, then the next probe's interval: judged without any time passing

        Assert.Equal(ChangeFeed.Pushed, _status.Changes);
        Assert.Single(_watch.Sent);
        Assert.Empty(_log.Lines);
        Assert.Equal(0, _woken);
    }

    [Fact]
    public void NoProbeBeforeTheWatchListens()
    {
        _time.Advance(Interval * 3);
        _check.Observe(RevisionNotice.Probe("someone-else")); // another host's probe is no sign that this watch listens

        Assert.Equal(0, _time.Created);
        Assert.Empty(_watch.Sent);
        Assert.Equal(ChangeFeed.PushedNotCheckedYet, _status.Changes);
    }

    [Fact]
    public async Task ProbeDoesNotComeBack_WarnsOnce_PollsOften_UntilOneDoes()
    {
        _watch.Hears = false;
        _check.Observe(RevisionNotice.Resync);

        await _time.TimersAsync(1);
        _time.Advance(Timeout - TimeSpan.FromMilliseconds(1));
        var beforeTheBound = _status.Changes;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _time.TimersAsync(2); // judged: the interval's timer is made after the verdict
        var lost = (_status.Changes, Warnings().Count, _woken);

        _time.Advance(Interval); // the second probe is lost too: no second warning
        await _time.TimersAsync(3);
        _time.Advance(Timeout);
        await _time.TimersAsync(4);
        var stillLost = (_status.Changes, Warnings().Count, _woken);

        _watch.Hears = true; // e.g. the gateway reconnected to the server directly
        _time.Advance(Interval);
        await _time.TimersAsync(6);

        Assert.Equal(ChangeFeed.PushedNotCheckedYet, beforeTheBound);
        Assert.Equal((ChangeFeed.PushesNotArriving, 1, 1), lost);
        Assert.Equal((ChangeFeed.PushesNotArriving, 1, 1), stillLost);
        Assert.Equal(ChangeFeed.Pushed, _status.Changes);
        Assert.Equal(
            "Changes pushed by the store of staging are not reaching this gateway (a NOTIFY it sent did not come back within 2 s); a connection pooler in transaction mode cannot hold a LISTEN session: run with --poll-only or connect this gateway to PostgreSQL directly; following by polling every 200 ms meanwhile (logged once, until a NOTIFY comes back)",
            Assert.Single(Warnings()));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Information && l.Text.StartsWith("Changes pushed by the store of staging reach this gateway again", StringComparison.Ordinal));
        Assert.Equal(3, _watch.Sent.Count);
    }

    [Fact]
    public async Task AnotherHostsProbe_DoesNotCount()
    {
        _watch.Hears = false;
        _watch.Others = true; // the other gateways' probes arrive, this one's does not
        _check.Observe(RevisionNotice.Resync);

        await _time.TimersAsync(1);
        _time.Advance(Timeout);
        await _time.TimersAsync(2);

        Assert.Equal(ChangeFeed.PushesNotArriving, _status.Changes);
        Assert.Single(Warnings());
    }

    [Fact]
    public async Task ProbeCannotBeSent_DecidesNothing()
    {
        _watch.Unreachable = true; // the store is down: the refresher reports that, not the push check
        _check.Observe(RevisionNotice.Resync);

        await _time.TimersAsync(1); // no timeout to wait for: straight to the next interval
        _time.Advance(Interval);
        await _time.TimersAsync(2);

        Assert.Equal(ChangeFeed.PushedNotCheckedYet, _status.Changes);
        Assert.Empty(_log.Lines);
        Assert.Equal(0, _woken);
    }

    [Fact]
    public async Task WatchReconnectsWhileAProbeIsOut_NoVerdict_ProbesAgainAtOnce()
    {
        _watch.Hears = false;
        _check.Observe(RevisionNotice.Resync);
        await _time.TimersAsync(1);

        _watch.Hears = true;
        _check.Observe(RevisionNotice.Resync); // the probe may have been lost with the old connection

        await _time.TimersAsync(4); // the abandoned probe's timeout, an interval cut short, the second probe's timeout, the next interval: no time passed

        Assert.Equal(2, _watch.Sent.Count);
        Assert.Equal(ChangeFeed.Pushed, _status.Changes);
        Assert.Empty(Warnings());
    }

    // Trial pgoutage (LOW 4): /readyz said "pushed" through a whole database outage, its LISTEN connection long gone.
    [Fact]
    public async Task WatchLosesItsConnection_Reconnecting_UntilItListensAgainAndAProbeComesBack()
    {
        _check.Observe(RevisionNotice.Resync);
        await _time.TimersAsync(2);
        var before = _status.Changes;

        _check.Observe(RevisionNotice.Lost);
        var lost = _status.Changes;
        _check.Observe(RevisionNotice.Lost); // each failed reconnect says so again
        var stillLost = _status.Changes;
        _watch.Hears = false; // the probe stays out until the test brings it back
        _check.Observe(RevisionNotice.Resync); // listening again: probed at once
        await _time.TimersAsync(3); // the interval cut short, the new probe's timeout
        var listening = _status.Changes;
        _check.Observe(RevisionNotice.Probe(_watch.Sent.Last())); // it comes back
        await _time.TimersAsync(4); // judged: the next interval

        Assert.Equal((ChangeFeed.Pushed, ChangeFeed.Reconnecting, ChangeFeed.Reconnecting), (before, lost, stillLost));
        Assert.Equal(ChangeFeed.PushedNotCheckedYet, listening);
        Assert.Equal(ChangeFeed.Pushed, _status.Changes);
        Assert.Empty(_log.Lines);
    }

    // A probe sent before the connection dropped cannot come back on it: that is the outage, not a pooler holding the LISTEN.
    [Fact]
    public async Task ProbeLostWithTheConnection_NoPoolerWarning_StaysReconnecting()
    {
        _watch.Hears = false;
        _check.Observe(RevisionNotice.Resync);
        await _time.TimersAsync(1); // the probe is out, its timeout running

        _check.Observe(RevisionNotice.Lost);
        _time.Advance(Timeout);
        await _time.TimersAsync(2); // judged, and the next interval made

        Assert.Equal(ChangeFeed.Reconnecting, _status.Changes);
        Assert.Empty(Warnings());
        Assert.Equal(0, _woken);
    }

    [Fact]
    public void LostNotice_ConcernsNoEnvironment_AndNoNoticeFromTheServerIsOne()
    {
        Assert.True(RevisionNotice.Lost.IsLost);
        Assert.False(RevisionNotice.Lost.IsResync);
        Assert.False(RevisionNotice.Lost.Concerns("#lost", "staging"));
        Assert.False(new RevisionNotice(RevisionNotice.LostApp, "").IsLost); // a NOTIFY payload "#lost\t" anyone could send
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }

    private List<string> Warnings() => [.. _log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Text)];

    /// <summary>A watch whose probes come back (or not) as the test says, at once, inside the NOTIFY's own call.</summary>
    private sealed class ScriptedWatch : IRevisionWatch
    {
        public Action<RevisionNotice> Deliver { get; set; } = _ => { };
        public volatile bool Hears = true;
        public volatile bool Others;
        public volatile bool Unreachable;
        public ConcurrentQueue<string> Sent { get; } = new();

        public Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken) => Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);

        public Task ProbeAsync(string token, CancellationToken cancellationToken)
        {
            if (Unreachable)
            {
                throw new Glidepath.Errors.OperationalException("cannot send a probe to the store at test: connection refused");
            }

            Sent.Enqueue(token);
            if (Others)
            {
                Deliver(RevisionNotice.Probe("another-gateway"));
            }

            if (Hears)
            {
                Deliver(RevisionNotice.Probe(token));
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A fake clock that counts the timers made on it: each wait of the check makes one, so the test knows what it waits on.</summary>
    private sealed class TimerSignallingTime : FakeTimeProvider
    {
        private readonly SemaphoreSlim _made = new(0);
        private int _created;

        public TimerSignallingTime()
            : base(new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero))
        {
        }

        public int Created => Volatile.Read(ref _created);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _created);
            _made.Release();
            return timer;
        }

        /// <summary>Waits until <paramref name="count"/> timers have been made in all (the 30 s bound only turns a hang into a failure).</summary>
        public async Task TimersAsync(int count)
        {
            while (Created < count)
            {
                Assert.True(await _made.WaitAsync(TimeSpan.FromSeconds(30)), $"the check made {Created} timers, not {count}");
            }
        }
    }
}
