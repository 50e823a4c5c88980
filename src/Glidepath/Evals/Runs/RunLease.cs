using System.Globalization;
using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>
/// A run's lease held by this process (<see cref="EvalRunLease"/>): renewed in the background every quarter of its
/// duration until it is released, so a process that crashed leaves a lease that lapses within that duration. When a
/// renewal finds another holder (this process was stopped longer than the lease lasts, and another took the run over),
/// <see cref="Lost"/> is cancelled: the run must stop, since the other process now spends on it.
/// </summary>
internal sealed class RunLease : IDisposable
{
    private readonly IEvalRunStore _store;
    private readonly RunHolder _holder;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private EvalRunLease _lease;
    private Task _renewing = Task.CompletedTask;
    private int _renewals;

    private RunLease(IEvalRunStore store, string runId, EvalRunLease lease, RunHolder holder, TimeProvider time)
    {
        (_store, RunId, _lease, _holder, _time) = (store, runId, lease, holder, time);
    }

    public string RunId { get; }

    /// <summary>Cancelled when a renewal found the run taken over by <see cref="TakenBy"/>.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>The lease that took the run over, once <see cref="Lost"/>.</summary>
    public EvalRunLease? TakenBy { get; private set; }

    /// <summary>
    /// Once <see cref="Lost"/>: the error that stops the run (exit 3), since another process took it over (this one was
    /// stopped longer than its lease lasts, or could not reach the store) and spends on it now; otherwise null.
    /// </summary>
    public OperationalException? TakenOver() => TakenBy is { } other
        ? new OperationalException($"run {RunId} was taken over by pid {other.Pid} on host {other.Host} while this process ran (its lease was not " +
            $"renewed for {_holder.Duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min: was this process suspended, or the store out of reach?); " +
            "this process stopped, its finished results are saved, and the other process goes on with the run")
        : null;

    /// <summary>Renewals written so far (for tests: a renewal is awaited as a condition, never as a time).</summary>
    public int Renewals => Volatile.Read(ref _renewals);

    /// <summary>
    /// Takes the lease of <paramref name="runId"/>: at once when nobody holds it, its holder's lease has lapsed, or its
    /// holder is gone (<see cref="RunHolder.IsGone"/>); otherwise a <see cref="BadInputException"/> (exit 2) that says who
    /// holds it since when, and when it lapses.
    /// </summary>
    public static async Task<RunLease> AcquireAsync(IEvalRunStore store, string runId, RunHolder holder, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var mine = new EvalRunLease(holder.Id, holder.Host, holder.Pid, now, now + holder.Duration);
        var standing = await store.TryLeaseAsync(runId, mine, now, null, cancellationToken).ConfigureAwait(false);
        if (standing is not null && holder.IsGone(standing))
        {
            standing = await store.TryLeaseAsync(runId, mine, now, standing.Holder, cancellationToken).ConfigureAwait(false);
        }

        if (standing is not null)
        {
            throw new BadInputException(Refusal(runId, standing, holder));
        }

        var lease = new RunLease(store, runId, mine, holder, time);
        // The first beat is timed here, before the caller goes on: a clock moved after this returns moves past it.
        lease._renewing = lease.RenewAsync(Task.Delay(holder.Duration / 4, time, lease._stop.Token));
        return lease;
    }

    /// <summary>Stops renewing and gives the lease up; a store that cannot be reached leaves it to lapse.</summary>
    public async Task ReleaseAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_lost.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await _store.ReleaseLeaseAsync(RunId, _holder.Id, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The run's outcome is what counts; the lease lapses within its duration, or is taken over at once on this host.
        }
    }

    /// <summary>Stops renewing without giving the lease up (it lapses, or a process on this host takes it over at once).</summary>
    public void Dispose() => _stop.Cancel(); // not disposed: the renewal may still be reading its token as it ends

    private async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
    }

    private async Task RenewAsync(Task beat)
    {
        var every = _holder.Duration / 4;
        try
        {
            while (true)
            {
                await beat.ConfigureAwait(false);
                var now = _time.GetUtcNow();
                var renewed = _lease with { ExpiresAt = now + _holder.Duration };
                EvalRunLease? other = null;
                var written = true;
                try
                {
                    other = await _store.TryLeaseAsync(RunId, renewed, now, null, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The store out of reach for a moment: tried again at the next beat. Out of reach for longer than the
                    // lease lasts, the lease lapses, and the renewal that gets through finds whether another took the run.
                    written = false;
                }

                if (other is not null)
                {
                    TakenBy = other;
                    await _lost.CancelAsync().ConfigureAwait(false);
                    return;
                }

                // The next beat is timed before the renewal is counted: a test that waits for the count then moves its clock
                // moves it past the next beat.
                beat = Task.Delay(every, _time, _stop.Token);
                if (written)
                {
                    _lease = renewed;
                    Interlocked.Increment(ref _renewals);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    private static string Refusal(string runId, EvalRunLease standing, RunHolder holder)
    {
        var since = standing.Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var lapses = standing.ExpiresAt.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var minutes = holder.Duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture);
        var here = standing.Host == holder.Host
            ? $"; on this host a resume takes it over as soon as pid {standing.Pid} has ended"
            : "";
        return $"run {runId} is being run by pid {standing.Pid} on host {standing.Host} since {since} UTC; one process at a time runs a run, " +
            $"so its judge's max_spend_usd holds: wait for it to end, or, if that process is gone, run this --resume again after its lease lapses at {lapses} UTC " +
            $"(a lease lasts {minutes} min unless its process renews it){here}; nothing was called";
    }
}
