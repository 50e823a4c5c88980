namespace Glidepath.Evals.Runs;

/// <summary>
/// The run's lease (<see cref="EvalRunLease"/>): taken when a run is created or resumed, renewed while it goes, given up
/// when it ends, so one process at a time runs a run and the judge's <c>max_spend_usd</c> holds for the run.
/// </summary>
public sealed partial class EvalService
{
    /// <summary>This process as the holder of the lease of the run it runs (<see cref="EvalRunLease"/>); tests set their own.</summary>
    public RunHolder Holder { get; init; } = RunHolder.ForThisProcess();

    /// <summary>Takes the lease of the run this service runs (<see cref="RunLease"/>); exit 2 while another live process holds it.</summary>
    private async Task TakeLeaseAsync(string runId, CancellationToken cancellationToken)
    {
        await ReleaseLeaseAsync().ConfigureAwait(false);
        _lease = await RunLease.AcquireAsync(_store.EvalRuns, runId, Holder, _time, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReleaseLeaseAsync()
    {
        if (_lease is { } lease)
        {
            _lease = null;
            await lease.ReleaseAsync().ConfigureAwait(false);
            lease.Dispose();
        }
    }
}
