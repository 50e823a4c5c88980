using System.Globalization;
using System.Security.Cryptography;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>
/// The eval use case, shared by the gate: builds the scorers, checks the dataset, creates the run record (or checks a
/// stopped one can be resumed), runs cases × trials × releases, and moves the run from running to finished or cancelled.
/// Hosts (the CLI, an admin API) parse their input, call it and show the outcome.
/// </summary>
public sealed partial class EvalService : IDisposable
{
    private readonly EvalSetup _setup;
    private readonly IGlidepathStore _store;
    private readonly IModelClientFactory _models;
    private readonly TimeProvider _time;
    private RunLease? _lease;

    /// <param name="releases">Resolves refs such as <c>working</c> or <c>env:production</c>, registering what it builds.</param>
    public EvalService(EvalSetup setup, IGlidepathStore store, IModelClientFactory models, ReleaseResolver releases, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(setup);
        _setup = setup;
        _store = store;
        _models = models;
        _time = time;
        Releases = releases;
        Scorers = BuildScorers(setup.UseCache);
    }

    public Manifest Manifest => _setup.Manifest;

    public EvalConfig Config => _setup.Config;

    /// <summary>The scorers of <c>eval.scorers</c>; a judge's calls use the response cache as the run does.</summary>
    public ScorerSet Scorers { get; private set; }

    public ReleaseResolver Releases { get; }

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

    /// <summary>Creates the run record for scoring <paramref name="reference"/> (registering it), or picks up <see cref="EvalRunOptions.Resume"/>.</summary>
    /// <param name="reference">The release to score (null: the working tree); on resume, when given, it must be the run's.</param>
    public async Task<EvalStart> StartAsync(string? reference, EvalRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Resume is { } id)
        {
            var (resumed, cases, resumedRelease, _) = await ResumeAsync(id, EvalRunKind.Eval, options, cancellationToken, reference).ConfigureAwait(false);
            return new EvalStart(resumed, resumedRelease, cases, Resumed: true);
        }

        // The ref is checked first (a typo is the likelier mistake), the dataset next, and only then is the working tree
        // registered: a run refused with exit 2 (a --tag that selects no case) leaves no vN behind, as the gate does.
        var releaseRef = reference ?? "working";
        var (resolved, dataset) = await ResolveWhileScanningAsync(options.Dataset, options.Tags, async ct =>
        {
            var resolved = await Releases.ResolveRefAsync(releaseRef, ct).ConfigureAwait(false);
            return (resolved, CheckedNames(ReleaseNames.Of(resolved.Release)));
        }, cancellationToken).ConfigureAwait(false);
        if (dataset.CaseCount == 0)
        {
            throw new BadInputException($"{options.Dataset ?? Config.Dataset}: no cases to run{(options.Tags.Count > 0 ? " with the given --tag" : "")}");
        }

        CheckProvider(resolved.Release);

        // The release checked above, registered: the working tree is read (and git run) once.
        var release = await Releases.RegisterAsync(resolved, cancellationToken).ConfigureAwait(false);

        var run = await CreateRunAsync(EvalRunKind.Eval, release, null, dataset.Sha256, dataset.CaseCount, options, cancellationToken).ConfigureAwait(false);
        return new EvalStart(run, release, dataset, Resumed: false);
    }

    /// <summary>
    /// Runs what is left of the run, reading the cases as it goes; on cancellation the finished results stay saved and
    /// the run is marked cancelled. The outcome holds the summary, not the results (it reads those not passed back from the store).
    /// </summary>
    public async Task<EvalOutcome> RunAsync(EvalStart start, IEvalRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var (summaries, concurrency) = await ExecuteAsync(start.Run, start.Dataset.ReadAsync(cancellationToken), [start.Release], observer, cancellationToken).ConfigureAwait(false);
        return new EvalOutcome(start, summaries[0], concurrency, _store.EvalRuns);
    }

    /// <summary>The one place a new run record is made and stored: status running, trials and concurrency from the options or the eval config.</summary>
    internal async Task<EvalRun> CreateRunAsync(EvalRunKind kind, Release release, Release? baseline, string datasetSha256, int caseCount, EvalRunOptions options, CancellationToken cancellationToken)
    {
        var run = new EvalRun
        {
            Id = NewRunId(),
            App = Manifest.App,
            Kind = kind,
            ReleaseId = release.Id,
            BaselineReleaseId = baseline?.Id,
            DatasetPath = options.Dataset ?? Config.Dataset,
            DatasetSha256 = datasetSha256,
            Trials = options.Trials ?? Config.Trials,
            CaseCount = caseCount,
            Tags = options.Tags,
            ScorerVersion = Scorers.Version,
            UseCache = _setup.UseCache,
            Concurrency = options.Concurrency ?? Config.Concurrency ?? 8,
            Status = EvalRunStatus.Running,
            CreatedAt = _time.GetUtcNow(),
            JudgeSpend = [],
        };
        await _store.EvalRuns.CreateAsync(run, cancellationToken).ConfigureAwait(false);

        // Held while the run goes: a --resume of it from another process meanwhile is refused, not run twice.
        await TakeLeaseAsync(run.Id, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <summary>The releases of the app in the store (a fresh CI store holds none).</summary>
    internal Task<IReadOnlyList<Release>> ListReleasesAsync(CancellationToken cancellationToken) =>
        _store.Releases.ListAsync(Manifest.App, cancellationToken);

    internal async Task<Release> ReleaseByIdAsync(string id, CancellationToken cancellationToken) =>
        await _store.Releases.GetByIdAsync(Manifest.App, id, cancellationToken).ConfigureAwait(false)
        ?? throw new OperationalException($"release {id[..12]} of run is missing from the store");

    /// <summary>
    /// Runs what is left of <paramref name="run"/> against <paramref name="releases"/>, interleaved case by case in this
    /// order; returns each release's summary over the whole run (results saved earlier included).
    /// </summary>
    internal async Task<(IReadOnlyList<RunSummary> Summaries, EvalConcurrency Concurrency)> ExecuteAsync(
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
        finally
        {
            await ReleaseLeaseAsync().ConfigureAwait(false);
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

    public void Dispose()
    {
        // A lease taken for a run that was never run stops being renewed and lapses (on this host, a resume takes it over
        // at once: this process is gone by then).
        _lease?.Dispose();
        Scorers.Dispose();
    }

    private ScorerSet BuildScorers(bool useCache)
    {
        var (manifest, models) = (Manifest, _models);
        return ScorerSet.Build(Config.Scorers, ScorerRegistry.CreateDefault(), new ScorerBuildContext
        {
            ReadFile = path => Files.AppFile.Read(manifest.BaseDirectory, path, "eval.scorers"),
            // Each trial's judge calls are cached under its index (and the judge's scope): keyed by the prompt alone, the
            // trials of a case that gave the same answer read one judge draw, which the gate's test counted as independent.
            JudgeClient = (model, trial) => models.Create(model, ProviderSettingsResolver.Resolve(manifest, model.Provider, null), new ModelClientOptions
            {
                Cache = EvalCacheMode.Of(useCache),
                TrialIndex = trial,
                CacheScope = ModelClientOptions.JudgeCacheScope,
                LeanClient = true,
                SharedBackoff = true, // a judge's 429 storm waits once for all its calls, as the release's does
                Cacheable = LlmJudgeScorer.Readable, // an answer no score can be read from is an error: never cached
            }),
            Cost = (_, response) => ReleaseTarget.CostOf(response),
        });
    }

    /// <summary>The file a dataset path names: a relative path is against the manifest's folder.</summary>
    public string DatasetFile(string path) => Path.IsPathRooted(path) ? path : Path.Combine(Manifest.BaseDirectory, path);

    private string NewRunId() =>
        _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

}
