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
/// While the storm back-off is on, a rate-limited attempt is not charged to its call's <c>max_retries</c>
/// (<see cref="Completed"/> returns true: the call waits and tries again), for <see cref="FreeRetriesFor"/> from the
/// storm's start; after that they count again, so a provider that never stops answering 429 still fails its calls (outside
/// trial gate1000 L2: the probes of a 34 s storm used up their calls' retries, and 21 trials errored).
/// </para>
/// <para>
/// An endpoint that does not answer is met the same way (outside trial gate1000 M1: with the endpoint down, every trial
/// retried on its own and was stored as an error, 22 minutes for a 1,000 × 10 gate): after <see cref="FailedInARow"/>
/// attempts in a row got no answer (<see cref="UnansweredAttempt"/>: no connection, a timeout, a 5xx without
/// <c>retry-after</c>), no attempt starts for a wait (the retry's backoff, doubled per failed probe up to <see cref="Cap"/>),
/// then one probe goes. A probe that is answered ends it. Once the endpoint has not answered for <see cref="GiveUpAfter"/>,
/// every call fails at once without being sent (<see cref="ProviderException.EndpointDown"/>, not retried): the run's trials
/// left end as errors in seconds, and a resume asks them again. A timeout counts only once no attempt has been answered for
/// twice the timeout: a model merely slow on some (long) prompts answers the others meanwhile, and its slow calls' trials
/// (often a case's trials side by side) must not stop the run.
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

    // Under _gate: the rate-limit window; when the current back-off (either kind) began, for its notice and the free
    // retries; whether its free retries were told to have ended.
    private readonly RateLimitWindow _window = new();
    private long _waitingSince;
    private bool _freeEndTold;

    // Under _gate: attempts in a row that got no answer; what they met (for the notices); when the back-off for them began
    // (UTC ticks, 0: none); its current wait; whether it gave up on the endpoint; when an attempt was last answered.
    private int _failed;
    private string _failedKind = "";
    private long _failingSince;
    private TimeSpan _failingWait;
    private bool _down;
    private long _lastAnswer = time.GetUtcNow().UtcTicks;

    /// <summary>How many of the model's latest attempts decide whether 429s are a storm (at least half of them rate limited).</summary>
    public const int Window = 16;

    /// <summary>Attempts in a row that got no answer from the endpoint (<see cref="UnansweredAttempt"/>) before every call waits for one probe.</summary>
    public const int FailedInARow = 8;

    /// <summary>How long the endpoint may go without answering before every call fails at once without being sent.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    /// <summary>How long from a rate-limit storm's start its rate-limited attempts use none of their calls' retries.</summary>
    public static readonly TimeSpan FreeRetriesFor = TimeSpan.FromMinutes(2);

    /// <summary>The longest a single wait is (the provider's <c>retry-after</c> is honoured up to it).</summary>
    public TimeSpan Cap { get; } = cap;

    /// <summary>
    /// Waits until an attempt may start. Returns true when this attempt is the probe, which must then be reported with
    /// <see cref="Completed"/> (or <see cref="Abandoned"/>) whatever happens to it.
    /// </summary>
    public ValueTask<bool> EnterAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _notBefore) == 0 ? new ValueTask<bool>(false) : WaitAsync(cancellationToken);

    /// <summary>
    /// After an attempt: a rate-limited answer from the provider in a storm sets the shared wait (its <c>retry-after</c>, else
    /// <paramref name="backoff"/>, capped); so does the <see cref="FailedInARow"/>th attempt in a row that got no answer (and a
    /// probe that got none, the wait doubled, until <see cref="GiveUpAfter"/>); the probe's other outcomes end the back-off.
    /// </summary>
    /// <param name="timeout">The attempt's timeout: a timeout counts as no answer only once nothing was answered for twice it.</param>
    /// <returns>
    /// True when the attempt was rate limited while the storm back-off is on (within <see cref="FreeRetriesFor"/> of its
    /// start): the back-off holds its wait, and the attempt is not charged to its call's retries; the caller tries again.
    /// </returns>
    public bool Completed(bool probe, Exception? failure, TimeSpan backoff, TimeSpan timeout = default)
    {
        var limited = failure is ProviderException { Failure: ProviderFailure.RateLimited, StatusCode: not null } rateLimited ? rateLimited : null;
        var unanswered = UnansweredAttempt.Kind(failure);
        string? said = null;
        var free = false;
        lock (_gate)
        {
            var now = time.GetUtcNow().UtcTicks;
            var storm = _window.Count(limited is not null);

            // A timeout while other calls are still answered is a slow call, not a silent endpoint: it neither counts nor
            // breaks the row.
            var counts = unanswered is not null && (!UnansweredAttempt.IsTimeout(failure) || now - _lastAnswer >= 2 * timeout.Ticks);
            _failed = counts ? _failed + 1 : unanswered is not null ? _failed : 0;
            if (unanswered is null)
            {
                _lastAnswer = now;
            }

            if (counts && (_failingSince != 0 || _failed >= FailedInARow))
            {
                said = Failing(probe, backoff, unanswered!, now);
            }
            else if (limited is not null && (storm || probe || _notBefore != 0))
            {
                _failingSince = 0;
                var wait = limited.RetryAfter ?? backoff;
                said = Push(wait, probe) ? $"{_endpoint} is rate limiting (429/503): every call waits {Seconds(wait)} ({(limited.RetryAfter is null ? "backoff" : "retry-after")}), then one goes first" : null;
                (free, said) = Free(limited, now, said);
            }
            else if (probe)
            {
                said = Ended(now);
                Volatile.Write(ref _notBefore, 0);
                ReleaseProbe();
            }
        }

        if (said is not null)
        {
            notice?.Invoke(said);
        }

        return free;
    }

    // Under _gate, for a rate-limited attempt with the storm back-off on: whether it is free of its call's retries (its
    // retry-after within the cap, the storm younger than FreeRetriesFor), and the notice to give.
    private (bool Free, string? Said) Free(ProviderException limited, long now, string? said)
    {
        if (limited.RetryAfter > Cap)
        {
            return (false, said); // the provider asks for longer than is waited: the call fails, as without the back-off
        }

        if (TimeSpan.FromTicks(now - _waitingSince) < FreeRetriesFor)
        {
            return (true, said);
        }

        if (_freeEndTold)
        {
            return (false, said);
        }

        _freeEndTold = true;
        return (false, $"{_endpoint} has been rate limiting for {Seconds(TimeSpan.FromTicks(now - _waitingSince))}: each call's own retries (max_retries) count again");
    }

    // Under _gate, for an attempt that got no answer with the endpoint's back-off on or due: the notice to give, if any.
    private string? Failing(bool probe, TimeSpan backoff, string unanswered, long now)
    {
        if (_failingSince == 0)
        {
            _failingSince = now;
            _failedKind = unanswered;
            _failingWait = backoff < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : backoff;
            Push(_failingWait, probe);
            return $"{_endpoint}: {_failed} calls in a row {unanswered}; every call waits {Seconds(_failingWait)}, then one tries first";
        }

        if (!probe)
        {
            return null; // a call in flight when the back-off began: the others already wait
        }

        if (TimeSpan.FromTicks(now - _failingSince) >= GiveUpAfter)
        {
            _down = true;
            Volatile.Write(ref _notBefore, Math.Max(1, _notBefore));
            ReleaseProbe();
            return $"{_endpoint}: still {Unreachable()} after {Seconds(TimeSpan.FromTicks(now - _failingSince))}; no more calls are sent to it: " +
                   "every trial left ends as an error, and a resume asks them again";
        }

        _failingWait = _failingWait * 2 > Cap ? Cap : _failingWait * 2;
        Push(_failingWait, probe: true);
        return null;
    }

    // Under _gate: how the notices call an endpoint that got no answer: unreachable when it could not be connected to.
    private string Unreachable() => _failedKind == "could not connect" ? "unreachable" : "not answering";

    // Under _gate: the probe of a back-off was answered, so the back-off ends; what to tell.
    private string? Ended(long now)
    {
        if (_notBefore == 0)
        {
            return null;
        }

        var waited = TimeSpan.FromTicks(now - _waitingSince);
        var was = _failingSince != 0 && Unreachable() == "unreachable" ? "reachable again" : "answering again";
        (_failingSince, _freeEndTold) = (0, false);
        return $"{_endpoint} is {was} after {Seconds(waited)}; calls go on";
    }

    private static string Seconds(TimeSpan t) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.#} s");

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

    // Under _gate.
    private ProviderException Down() =>
        new(provider, null, $"not sent: {_endpoint} {(Unreachable() == "unreachable" ? "could not be reached" : "did not answer")} for {Seconds(GiveUpAfter)} or more ({FailedInARow} calls in a row, then every probe: {_failedKind}); a resume asks again",
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
