using Glidepath.Errors;

namespace Glidepath.Providers.Resilience;

/// <summary>
/// One back-off shared by every call of an eval to one model of a provider endpoint (ModelClientFactory keys it by
/// provider, base URL and model): when an attempt is told to
/// wait (429, 503 or 529, with <c>retry-after</c> or without, then the retry's own backoff), no attempt starts until then,
/// and then one attempt goes first (a probe, as a circuit breaker's half-open state lets one call through): while it is
/// out the others wait; when it is rate limited again the wait starts over, and any other outcome lets them all go. So a
/// 429 storm is met by the calls in flight when it began and one call per wait, not by every call retrying on its own
/// schedule (outside trial gatejudge L7: 999 × 429 from 64 calls in 25 s). Waiting is no attempt: it uses none of the
/// call's retries. Each wait is capped (<see cref="Cap"/>) and cancellable.
/// <para>
/// Only a storm engages it: a rate-limited answer starts the shared wait when at least half of the model's last
/// <see cref="Window"/> attempts were rate limited (or the back-off is already on). A provider that now and then answers one
/// call in a hundred with a 429 is left to each call's own retry: with every 429 pausing every call, a judge answering 1% of
/// calls with 429 made a gate 3× slower and 5% 6× (outside trial gatejudge2), for no call that would otherwise have failed.
/// </para>
/// <para>
/// A provider that cannot be reached is met the same way (outside trial gate1000 M1: with the endpoint down, every trial
/// retried on its own and was stored as an error, 22 minutes for a 1,000 × 10 gate): after <see cref="UnreachableInARow"/>
/// attempts in a row failed to connect, no attempt starts for a wait (the retry's backoff, doubled per failed probe up to
/// <see cref="Cap"/>), then one probe goes. A probe that connects ends it. Once the endpoint has been unreachable for
/// <see cref="GiveUpAfter"/>, every call fails at once without being sent (<see cref="ProviderException.EndpointDown"/>, not
/// retried): the run's trials left end as errors in seconds, and a resume asks them again.
/// </para>
/// <para>Each wait's start and end, and the giving up, are told to <paramref name="notice"/> (the CLI's stderr), so a log shows a wait, not a hang.</para>
/// </summary>
/// <param name="provider">The provider's name as the manifest gives it, for the failure of a call not sent.</param>
/// <param name="endpoint">What the notices name: the provider, its base URL and the model (the provider's name without one).</param>
/// <remarks>
/// The path of a call that meets no back-off reads one field (<see cref="Volatile.Read(ref long)"/>) before its attempt,
/// and after it takes the lock only to count its outcome in the window.
/// </remarks>
internal sealed class ProviderBackoff(TimeProvider time, TimeSpan cap, string provider = "provider", string? endpoint = null, Action<string>? notice = null)
{
    private readonly string _endpoint = endpoint ?? provider;

    private readonly Lock _gate = new();

    // UTC ticks before which no attempt starts; 0 when there is no back-off (the hot path's one read).
    private long _notBefore;
    private bool _probing;
    private TaskCompletionSource _probeDone = NewSignal();

    // The outcomes of the last Window attempts (true: rate limited), a ring; under _gate.
    private readonly bool[] _recent = new bool[Window];
    private int _next;
    private int _seen;
    private int _limited;

    // Under _gate: attempts in a row that could not connect; when the back-off for them began (UTC ticks, 0: none); its
    // current wait; and whether it gave up on the endpoint. When the current back-off (either kind) began, for its notice.
    private int _unreachable;
    private long _unreachableSince;
    private TimeSpan _unreachableWait;
    private bool _down;
    private long _waitingSince;

    /// <summary>How many of the model's latest attempts decide whether 429s are a storm (at least half of them rate limited).</summary>
    public const int Window = 16;

    /// <summary>Attempts in a row that could not connect to the endpoint before every call waits for one probe.</summary>
    public const int UnreachableInARow = 8;

    /// <summary>How long the endpoint may stay unreachable before every call fails at once without being sent.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>The longest a single wait is (the provider's <c>retry-after</c> is honoured up to it).</summary>
    public TimeSpan Cap { get; } = cap;

    /// <summary>
    /// Waits until an attempt may start. Returns true when this attempt is the probe, which must then be reported with
    /// <see cref="Completed"/> (or <see cref="Abandoned"/>) whatever happens to it.
    /// </summary>
    public ValueTask<bool> EnterAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _notBefore) == 0 ? new ValueTask<bool>(false) : WaitAsync(cancellationToken);

    /// <summary>
    /// After an attempt: a rate-limited answer from the provider sets the shared wait (its <c>retry-after</c>, else
    /// <paramref name="backoff"/>, capped); so does the <see cref="UnreachableInARow"/>th attempt in a row that could not
    /// connect (and a probe that could not, the wait doubled, until <see cref="GiveUpAfter"/>); the probe's other outcomes
    /// end the back-off.
    /// </summary>
    public void Completed(bool probe, Exception? failure, TimeSpan backoff)
    {
        var limited = failure is ProviderException { Failure: ProviderFailure.RateLimited, StatusCode: not null } rateLimited ? rateLimited : null;

        // No connection at all (no status): refused, reset before an answer, a name that does not resolve.
        var unreachable = failure is ProviderException { Failure: ProviderFailure.Connection, StatusCode: null, EndpointDown: false };
        string? said = null;
        lock (_gate)
        {
            var storm = Count(limited is not null);
            _unreachable = unreachable ? _unreachable + 1 : 0;
            if (limited is not null && (storm || probe || _notBefore != 0))
            {
                _unreachableSince = 0;
                var wait = limited.RetryAfter ?? backoff;
                said = Push(wait, probe) ? $"{_endpoint} is rate limiting (429/503): every call waits {Seconds(wait)} ({(limited.RetryAfter is null ? "backoff" : "retry-after")}), then one goes first" : null;
            }
            else if (unreachable && (_unreachableSince != 0 || _unreachable >= UnreachableInARow))
            {
                said = Unreachable(probe, backoff);
            }
            else if (probe)
            {
                said = Ended();
                Volatile.Write(ref _notBefore, 0);
                ReleaseProbe();
            }
        }

        if (said is not null)
        {
            notice?.Invoke(said);
        }
    }

    // Under _gate, for an attempt that could not connect with the endpoint's back-off on or due: the notice to give, if any.
    private string? Unreachable(bool probe, TimeSpan backoff)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_unreachableSince == 0)
        {
            _unreachableSince = now;
            _unreachableWait = backoff < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : backoff;
            return Push(_unreachableWait, probe)
                ? $"{_endpoint}: {_unreachable} calls in a row could not connect; every call waits {Seconds(_unreachableWait)}, then one tries first"
                : null;
        }

        if (!probe)
        {
            return null; // a call in flight when the back-off began: the others already wait
        }

        if (TimeSpan.FromTicks(now - _unreachableSince) >= GiveUpAfter)
        {
            _down = true;
            Volatile.Write(ref _notBefore, Math.Max(1, _notBefore));
            ReleaseProbe();
            return $"{_endpoint}: still unreachable after {Seconds(TimeSpan.FromTicks(now - _unreachableSince))}; no more calls are sent to it: " +
                   "every trial left ends as an error, and a resume asks them again";
        }

        _unreachableWait = _unreachableWait * 2 > Cap ? Cap : _unreachableWait * 2;
        Push(_unreachableWait, probe: true);
        return null;
    }

    // Under _gate: the probe of a back-off was answered, so the back-off ends; what to tell.
    private string? Ended()
    {
        if (_notBefore == 0)
        {
            return null;
        }

        var waited = TimeSpan.FromTicks(time.GetUtcNow().UtcTicks - _waitingSince);
        var was = _unreachableSince != 0 ? "reachable again" : "answering again";
        _unreachableSince = 0;
        return $"{_endpoint} is {was} after {Seconds(waited)}; calls go on";
    }

    private static string Seconds(TimeSpan t) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");

    // Under _gate: counts one attempt's outcome; whether at least half of the window's attempts were rate limited.
    private bool Count(bool limited)
    {
        if (_seen == Window)
        {
            _limited -= _recent[_next] ? 1 : 0;
        }
        else
        {
            _seen++;
        }

        _recent[_next] = limited;
        _limited += limited ? 1 : 0;
        _next = (_next + 1) % Window;
        return 2 * _limited >= _seen;
    }

    /// <summary>The probe's caller went away before an answer: another waiting attempt becomes the probe.</summary>
    public void Abandoned()
    {
        lock (_gate)
        {
            ReleaseProbe();
        }
    }

    // Under _gate: whether this wait starts a back-off (none was on).
    private bool Push(TimeSpan delay, bool probe)
    {
        var wait = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Cap ? Cap : delay;
        var now = time.GetUtcNow().UtcTicks;
        var until = now + Math.Max(1, wait.Ticks);
        var started = _notBefore == 0;
        if (started)
        {
            _waitingSince = now;
        }

        if (until > _notBefore)
        {
            Volatile.Write(ref _notBefore, until);
        }

        if (probe)
        {
            ReleaseProbe();
        }

        return started;
    }

    private async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_down)
                {
                    throw Down();
                }

                if (_notBefore == 0)
                {
                    return false;
                }

                var left = _notBefore - time.GetUtcNow().UtcTicks;
                if (left > 0)
                {
                    wait = Task.Delay(TimeSpan.FromTicks(Math.Min(left, Cap.Ticks)), time, cancellationToken);
                }
                else if (!_probing)
                {
                    _probing = true;
                    return true;
                }
                else
                {
                    wait = _probeDone.Task;
                }
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private ProviderException Down() =>
        new(provider, null, $"not sent: {_endpoint} could not be reached for {Seconds(GiveUpAfter)} or more ({UnreachableInARow} calls in a row, then every probe, failed to connect); a resume asks again",
            ProviderFailure.Connection) { EndpointDown = true };

    // Under _gate: the probe is back; whoever waited for it looks again.
    private void ReleaseProbe()
    {
        if (!_probing)
        {
            return;
        }

        _probing = false;
        var done = _probeDone;
        _probeDone = NewSignal();
        done.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
