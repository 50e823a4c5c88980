namespace Glidepath.Evals.Runs;

/// <summary>
/// The run's lease (<see cref="EvalRunLease"/>): taken when a run is created or resumed, renewed while it goes, given up
/// when the run is done with (a gate's once its verdict is stored), so one process at a time runs a run and the judge's
/// <c>max_spend_usd</c> holds for the run.
/// </summary>
public sealed partial class EvalService : IAsyncDisposable
{
    /// <summary>This process as the holder of the lease of the run it runs (<see cref="EvalRunLease"/>); tests set their own.</summary>
    public RunHolder Holder { get; init; } = RunHolder.ForThisProcess();

    /// <summary>
    /// Gives up the lease of the run this service started or resumed, if it still holds one, and disposes the scorers. Every
    /// exit gives the lease up so: a run created and never run (the process failed or was stopped before it ran) can be
    /// resumed at once from anywhere, instead of after its lease lapses. (<see cref="Dispose"/> only stops renewing it.)
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await ReleaseLeaseAsync().ConfigureAwait(false);
        Scorers.Dispose();
    }

    /// <summary>Gives the run's lease up (nothing when none is held, or another process took it over).</summary>
    internal async Task ReleaseLeaseAsync()
    {
        if (_lease is { } lease)
        {
            _lease = null;
            await lease.ReleaseAsync().ConfigureAwait(false);
            lease.Dispose();
        }
    }

    /// <summary>
    /// Throws the error of <see cref="RunLease.TakenOver"/> (exit 3) when another process has taken the run over since this
    /// one leased it: what this process would store for the run (a gate's verdict) is no longer its to store.
    /// </summary>
    internal void ThrowIfTakenOver()
    {
        if (_lease?.TakenOver() is { } takenOver)
        {
            throw takenOver;
        }
    }

    /// <summary>Takes the lease of the run this service runs (<see cref="RunLease"/>); exit 2 while another live process holds it.</summary>
    private async Task TakeLeaseAsync(string runId, CancellationToken cancellationToken)
    {
        await ReleaseLeaseAsync().ConfigureAwait(false);
        _lease = await RunLease.AcquireAsync(_store.EvalRuns, runId, Holder, _time, cancellationToken).ConfigureAwait(false);
    }
}
