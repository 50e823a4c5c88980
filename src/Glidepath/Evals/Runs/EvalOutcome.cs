using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>
/// A finished eval run: its summary and the concurrency that applied. It does not hold the results (a run of any size
/// takes the same memory): those that did not pass are read back from the store when shown.
/// </summary>
public sealed class EvalOutcome(EvalStart start, RunSummary summary, EvalConcurrency concurrency, IEvalRunStore store)
{
    public EvalStart Start => start;

    public RunSummary Summary => summary;

    public EvalConcurrency Concurrency => concurrency;

    /// <summary>False when any trial errored (provider, scorer or judge): an error is never a pass.</summary>
    public bool AllScored => summary.Errors == 0;

    /// <summary>The results that did not pass, one at a time from the store: failures, then errors, each by case id.</summary>
    public IAsyncEnumerable<TrialResult> NotPassedAsync(CancellationToken cancellationToken) =>
        store.ReadResultsAsync(start.Run.Id, notPassedOnly: true, cancellationToken);
}
