using Glidepath.Evals.Datasets;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Evals.Runs;

/// <summary>Running a run: cases × trials × releases through the runner, and the run's status as it ends.</summary>
public sealed partial class EvalService
{
    /// <summary>
    /// Runs what is left of <paramref name="run"/> against <paramref name="releases"/>, interleaved case by case in this
    /// order; returns each release's summary over the whole run (results saved earlier included). A run that ends otherwise
    /// (Ctrl-C, bad input, a failure) gives its lease up here; one that finished keeps it until its caller is done with the
    /// run (<see cref="ReleaseLeaseAsync"/>): the gate until its verdict is stored, so no other process resumes the run and
    /// stores a verdict of its own meanwhile.
    /// </summary>
    internal async Task<(IReadOnlyList<RunSummary> Summaries, EvalConcurrency Concurrency)> ExecuteAsync(
        EvalRun run, IAsyncEnumerable<EvalCase> cases, IReadOnlyList<Release> releases, IEvalRunObserver? observer, CancellationToken cancellationToken)
    {
        try
        {
            return await ExecuteLeasedAsync(run, cases, releases, observer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseLeaseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(IReadOnlyList<RunSummary> Summaries, EvalConcurrency Concurrency)> ExecuteLeasedAsync(
        EvalRun run, IAsyncEnumerable<EvalCase> cases, IReadOnlyList<Release> releases, IEvalRunObserver? observer, CancellationToken cancellationToken)
    {
        var providers = new List<(string Provider, ProviderSettings Settings)>();
        var targets = new List<IEvalTarget>();
        foreach (var release in releases)
        {
            var provider = release.Snapshot().Model.Provider;
            var settings = ProviderSettingsResolver.Resolve(Manifest, provider, _setup.Environment);
            providers.Add((provider, settings));
            targets.Add(new ReleaseTarget(release, _models, settings, run.UseCache, _time) { Vars = _setup.Vars, UnsetVarsHint = _setup.UnsetVarsHint });
        }

        var done = (await _store.EvalRuns.CompletedAsync(run.Id, cancellationToken).ConfigureAwait(false)).Count;
        var concurrency = EvalConcurrency.For(run.Concurrency, providers);
        observer?.Executing(run, done, concurrency);
        var runner = new EvalRunner(_store.EvalRuns, Scorers, _time) { Progress = observer is null ? null : observer.Progress };
        IReadOnlyList<RunSummary> summaries;
        using var leased = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lease?.Lost ?? CancellationToken.None);
        try
        {
            // A missing API key fails every call alike: say so before the first one, not after every trial errored.
            foreach (var target in targets.OfType<ReleaseTarget>())
            {
                target.Prepare();
            }

            summaries = await runner.RunAsync(run, cases, targets, leased.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _lease?.TakenOver() is { } takenOver)
        {
            // Another process runs the run now and spends on it: this one stops, leaving the run's status to it.
            await _models.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            throw takenOver;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _models.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            await _store.EvalRuns.SetStatusAsync(run.Id, EvalRunStatus.Cancelled, null, CancellationToken.None).ConfigureAwait(false);
            observer?.Cancelled(run);
            throw;
        }
        catch (Exception stop) when (stop is Errors.BadInputException or Errors.ProviderException { Failure: Errors.ProviderFailure.Configuration })
        {
            // Marked, so it does not stay "running" for ever in eval list; resumable once the cause is fixed (a --var, the
            // dataset put back, the provider's key exported). A store that cannot mark it leaves it "running" (resumable
            // all the same) and never hides the bad input itself.
            try
            {
                await _models.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                await _store.EvalRuns.SetStatusAsync(run.Id, EvalRunStatus.Stopped, null, CancellationToken.None).ConfigureAwait(false);
                observer?.Stopped(run);
            }
            catch (Exception ex) when (ex is not Errors.BadInputException and not OperationCanceledException)
            {
            }

            throw;
        }

        // The answers' cache entries are written off the call path: stored before the run counts as finished.
        await _models.FlushAsync(cancellationToken).ConfigureAwait(false);
        observer?.Executed(run);
        await _store.EvalRuns.SetStatusAsync(run.Id, EvalRunStatus.Finished, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return (summaries, concurrency);
    }

    /// <summary>Every result of <paramref name="runId"/>, one at a time in the order saved (the gate adds them up case by case).</summary>
    internal IAsyncEnumerable<TrialResult> ReadResultsAsync(string runId, CancellationToken cancellationToken) =>
        _store.EvalRuns.ReadResultsAsync(runId, notPassedOnly: false, cancellationToken);
}
