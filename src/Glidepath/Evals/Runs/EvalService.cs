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
        try
        {
            var (summaries, concurrency) = await ExecuteAsync(start.Run, start.Dataset.ReadAsync(cancellationToken), [start.Release], observer, cancellationToken).ConfigureAwait(false);
            return new EvalOutcome(start, summaries[0], concurrency, _store.EvalRuns);
        }
        finally
        {
            await ReleaseLeaseAsync().ConfigureAwait(false);
        }
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
    /// Stops renewing the lease of a run this service still holds, without giving it up (it lapses; on this host a resume takes
    /// it over at once, this process gone by then): a host that can await disposes with <see cref="DisposeAsync"/>, which gives it up.
    /// </summary>
    public void Dispose()
    {
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

    private string NewRunId() =>
        _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));
}
