namespace Glidepath.Evals.Scorers;

/// <summary>
/// An <c>llm_judge</c>'s <c>max_spend_usd</c>: what its calls of one run have cost, and whether the next may start. It holds
/// across concurrent calls: until one call has answered (and its cost is known) calls go one at a time; after that a call
/// starts only when what is spent plus every call in flight, each counted at the largest cost one call has had, stays
/// within the limit, and otherwise waits for calls in flight to end. So the spend passes the limit only by a call dearer
/// than every call before it. Refused once even one more call would pass it.
/// </summary>
internal sealed class JudgeSpendLimit(double limit)
{
    // The cap is not part of the scorer version: raised, the run it stopped resumes with its results and its spend.
    private const string RefusalAdvice = "; raise max_spend_usd and resume the run, or use fewer cases";

    /// <summary>How every refusal of the cap begins: a trial refused by it is not a case that can never be graded.</summary>
    internal const string ReachedText = "the judge's spend limit of ";

    private readonly Lock _sync = new();
    private TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _spent;
    private double _largest;
    private int _inFlight;
    private int _admitted;
    private bool _answered;

    /// <summary>Adds what earlier processes of the run spent: <paramref name="usd"/> in all, the dearest call <paramref name="dearest"/>.</summary>
    public void CountSpent(double usd, double dearest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usd);
        ArgumentOutOfRangeException.ThrowIfNegative(dearest);
        lock (_sync)
        {
            _spent += usd;
            _largest = Math.Max(_largest, dearest);
            _answered |= dearest > 0;
        }
    }

    /// <summary>The limit as reached, without advice, or null while the next call may still start.</summary>
    public string? Reached()
    {
        lock (_sync)
        {
            return ReachedLocked();
        }
    }

    /// <summary>
    /// Waits until one more trial may start, before its release is asked, and counts it admitted (<see cref="TrialAdmission"/>);
    /// a <see cref="ScorerException"/> when none may. Once an answer's cost is known, a trial is admitted only while what is
    /// spent plus every call in flight and every trial admitted, each at the dearest call, leaves room for one more: no more
    /// trials ask the release than the judge can score (trial gatejudge3 L1: a resume at one call of headroom asked the
    /// release 32 times for one judge answer). Before that, trials are admitted as they come, and their calls go one at a time.
    /// </summary>
    public async Task AdmitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task settled;
            lock (_sync)
            {
                if (ReachedLocked() is { } reached)
                {
                    throw new ScorerException(reached + RefusalAdvice);
                }

                if (!_answered || _spent + ((_inFlight + _admitted + 1) * _largest) <= limit)
                {
                    _admitted++;
                    return;
                }

                settled = _settled.Task;
            }

            await settled.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back an admission whose trial ended without its judge call (its release call failed, or it was stopped).</summary>
    public void Unadmit() => Signal(() => _admitted--);

    /// <summary>
    /// Waits until one more call may start and counts it in flight; a <see cref="ScorerException"/> when none may. With
    /// <paramref name="admitted"/>, the call is that of a trial <see cref="AdmitAsync"/> admitted, whose admission it uses up.
    /// </summary>
    public Task ReserveAsync(CancellationToken cancellationToken) => ReserveAsync(admitted: false, cancellationToken);

    /// <inheritdoc cref="ReserveAsync(CancellationToken)"/>
    public async Task ReserveAsync(bool admitted, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task settled;
            string? refusal;
            lock (_sync)
            {
                // Other admitted trials are not counted here: each may wait for a call in flight to end, never for another
                // admitted trial, which could wait for it in turn.
                refusal = ReachedLocked();
                if (refusal is null && (_inFlight == 0 || (_answered && _spent + ((_inFlight + 1) * _largest) <= limit)))
                {
                    _inFlight++;
                    _admitted -= admitted ? 1 : 0;
                    return;
                }

                settled = _settled.Task;
            }

            if (refusal is not null)
            {
                if (admitted)
                {
                    Unadmit(); // and the trials waiting for an admission find the limit reached
                }

                throw new ScorerException(refusal + RefusalAdvice);
            }

            try
            {
                await settled.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (admitted)
            {
                Unadmit();
                throw;
            }
        }
    }

    /// <summary>
    /// Ends a call reserved by <see cref="ReserveAsync(bool, CancellationToken)"/>, with its cost, or null when it is not known (it failed, or its answer
    /// carries none). Always to be called, also when reading the cost throws: the calls waiting to start would wait forever.
    /// </summary>
    public void Settled(double? usd) => End(usd, unanswered: false);

    /// <summary>
    /// Ends a call reserved by <see cref="ReserveAsync(bool, CancellationToken)"/> that got no answer (a timeout, a dropped connection, Ctrl-C): the
    /// provider may have answered and billed it all the same, so it counts at the dearest call known (nothing before any
    /// answer has shown a cost). Trial gatejudge3 M2: a judge slower than the timeout let 128 calls through a 10-call cap.
    /// </summary>
    /// <returns>What it was counted at, for the run's stored spend (<see cref="Runs.JudgeSpend.UnansweredUsd"/>).</returns>
    public double Unanswered() => End(null, unanswered: true);

    private double End(double? usd, bool unanswered)
    {
        TaskCompletionSource settled;
        var counted = 0.0;
        lock (_sync)
        {
            _inFlight--;
            if (unanswered)
            {
                counted = _largest;
                _spent += _largest;
            }
            else if (usd is { } cost)
            {
                _spent += cost;
                _largest = Math.Max(_largest, cost);

                // Calls go one at a time until an answer's cost is known: an answer that carries none (a server that reports
                // no usage) teaches nothing about what the next call costs.
                _answered = true;
            }

            settled = _settled;
            _settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        settled.SetResult();
        return counted;
    }

    private void Signal(Action change)
    {
        TaskCompletionSource settled;
        lock (_sync)
        {
            change();
            settled = _settled;
            _settled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        settled.SetResult();
    }

    // Under _sync.
    private string? ReachedLocked() =>
        _spent >= limit ? $"{ReachedText}{Views.Figures.Usd(limit)} is reached: {Views.Figures.Usd(_spent)} is spent"
        : _spent + _largest > limit ? $"{ReachedText}{Views.Figures.Usd(limit)} is reached: {Views.Figures.Usd(_spent)} is spent and " +
            $"one call has cost up to {Views.Figures.Usd(_largest)}"
        : null;
}
