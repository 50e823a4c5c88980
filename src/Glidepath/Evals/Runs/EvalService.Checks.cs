using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Models;
using Glidepath.Releases;

namespace Glidepath.Evals.Runs;

/// <summary>What a run is checked against before anything is stored or called: its dataset, its releases' names and their provider.</summary>
public sealed partial class EvalService
{
    /// <summary>
    /// Checks a dataset named relative to the manifest (default: <c>eval.dataset</c>) without keeping its cases; with
    /// <paramref name="releases"/> (those the run scores), also the tools its cases expect, the vars they set, and that
    /// every case the run asks has each template variable set (by the case, <c>--env</c> or <c>--var</c>).
    /// </summary>
    public Task<DatasetScan> ScanDatasetAsync(string? path, IReadOnlyList<string> tags, CancellationToken cancellationToken, ReleaseNames? releases = null)
    {
        path ??= Config.Dataset;
        return DatasetScan.ScanAsync(DatasetFile(path), path, tags, cancellationToken, Scorers.Reads, releases, releases is null ? null : _setup);
    }

    /// <summary>
    /// Resolves the releases a new run scores (<paramref name="resolve"/>: every check that refuses the run before its
    /// dataset, ending with <see cref="CheckedNames"/>) while the dataset is read and parsed on another thread; the checks
    /// that need the names wait for them (<see cref="DatasetScan"/>). A refusal by <paramref name="resolve"/> comes first,
    /// as it would with the dataset checked after it, without waiting for the scan: it is cancelled and its outcome dropped. The two overlap
    /// because both are mostly a cold start's compiling and reading (docs/benchmarks.md, the eval runner's start-up).
    /// </summary>
    internal async Task<(T Resolved, DatasetScan Dataset)> ResolveWhileScanningAsync<T>(string? dataset, IReadOnlyList<string> tags,
        Func<CancellationToken, Task<(T Resolved, ReleaseNames Names)>> resolve, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        dataset ??= Config.Dataset;
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var names = new TaskCompletionSource<ReleaseNames>(TaskCreationOptions.RunContinuationsAsynchronously);
        var scan = Task.Run(() => DatasetScan.ScanAsync(DatasetFile(dataset), dataset, tags, stop.Token, Scorers.Reads, names.Task, _setup), stop.Token);
        (T Resolved, ReleaseNames Names) resolved;
        try
        {
            resolved = await resolve(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The refusal does not wait for the scan: a read of a pipe whose writer has not written yet does not see the
            // cancellation, and the refusal must come as soon as it would with the dataset checked after it. The scan
            // only reads the file; its outcome is dropped (and its token's source disposed) when it ends.
            names.TrySetCanceled(stop.Token);
            await stop.CancelAsync().ConfigureAwait(false);
            _ = scan.ContinueWith(static (t, s) => { _ = t.Exception; ((CancellationTokenSource)s!).Dispose(); }, stop,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        using (stop)
        {
            names.SetResult(resolved.Names);
            return (resolved.Resolved, await scan.ConfigureAwait(false));
        }
    }

    /// <summary>
    /// What a run of <paramref name="releases"/> checks before its dataset: every <c>--var</c> names a variable their
    /// templates use (exit 2 otherwise, naming the ones they use). Returns the names, for the dataset check.
    /// </summary>
    internal ReleaseNames CheckedNames(ReleaseNames releases)
    {
        releases.CheckVarOptions(_setup.VarOptions);
        return releases;
    }

    /// <summary>
    /// Refuses a run of <paramref name="release"/> that could not make one call (exit 2, before a release is registered or a
    /// run stored): its provider's key variable, as the provider settings in force name it (the manifest's
    /// <c>providers:</c>, overlaid by <c>--env</c>'s), is not set. The sim, and an OpenAI-compatible <c>base_url</c>
    /// without <c>api_key_env</c>, need none. A key that goes missing after this still stops the run, resumable.
    /// </summary>
    internal void CheckProvider(Release release)
    {
        var model = release.Snapshot().Model;
        try
        {
            _models.CheckSettings(model, ProviderSettingsResolver.Resolve(Manifest, model.Provider, _setup.Environment));
        }
        catch (ProviderException ex) when (ex.Failure == ProviderFailure.Configuration)
        {
            throw new BadInputException($"{release.Name} calls provider '{ex.Provider}', and {ex.ProviderMessage}; nothing was run or stored", ex);
        }
    }

    /// <summary>The file a dataset path names: a relative path is against the manifest's folder.</summary>
    public string DatasetFile(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Manifest.BaseDirectory, path);
}
