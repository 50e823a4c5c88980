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
/// </summary>
/// <remarks>
/// The path of a call that meets no back-off reads one field (<see cref="Volatile.Read(ref long)"/>) before its attempt,
/// and after it takes the lock only to count its outcome in the window.
/// </remarks>
internal sealed class ProviderBackoff(TimeProvider time, TimeSpan cap)
{
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

    /// <summary>How many of the model's latest attempts decide whether 429s are a storm (at least half of them rate limited).</summary>
    public const int Window = 16;

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
    /// <paramref name="backoff"/>, capped); the probe's other outcomes end the back-off.
    /// </summary>
    public void Completed(bool probe, Exception? failure, TimeSpan backoff)
    {
        var limited = failure is ProviderException { Failure: ProviderFailure.RateLimited, StatusCode: not null } rateLimited ? rateLimited : null;
        lock (_gate)
        {
            var storm = Count(limited is not null);
            if (limited is not null && (storm || probe || _notBefore != 0))
            {
                Push(limited.RetryAfter ?? backoff, probe);
            }
            else if (probe)
            {
                Volatile.Write(ref _notBefore, 0);
                ReleaseProbe();
            }
        }
    }

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

    // Under _gate.
    private void Push(TimeSpan delay, bool probe)
    {
        var wait = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > Cap ? Cap : delay;
        var until = time.GetUtcNow().UtcTicks + Math.Max(1, wait.Ticks);
        if (until > _notBefore)
        {
            Volatile.Write(ref _notBefore, until);
        }

        if (probe)
        {
            ReleaseProbe();
        }
    }

    private async ValueTask<bool> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
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
