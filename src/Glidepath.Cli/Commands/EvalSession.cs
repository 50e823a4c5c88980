using System.Globalization;
using System.Security.Cryptography;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary>What <c>eval run</c> and <c>gate</c> share: the eval config, the model clients, the scorers, datasets and running.</summary>
internal sealed class EvalSession : IDisposable
{
    private readonly CliContext _ctx;
    private readonly IModelClientFactory _factory;
    private readonly bool _useCache;
    private readonly List<(string Provider, ProviderSettings Settings)> _providers = [];
    private readonly string? _environment;
    private readonly IReadOnlyDictionary<string, string> _vars;

    private EvalSession(CliContext ctx, IGlidepathStore store, EvalConfig config, IModelClientFactory factory, ScorerSet scorers, bool useCache, string? environment, IReadOnlyDictionary<string, string> vars)
    {
        _environment = environment;
        _vars = vars;
        _ctx = ctx;
        Store = store;
        Config = config;
        _factory = factory;
        Scorers = scorers;
        _useCache = useCache;
    }

    public IGlidepathStore Store { get; }

    public EvalConfig Config { get; }

    public ScorerSet Scorers { get; }

    /// <summary>The concurrency limit that applied to the last run executed (null before one runs).</summary>
    public EvalConcurrency? Concurrency { get; private set; }

    public Manifest Manifest => _ctx.Manifest;

    /// <param name="environment">The environment whose vars and provider settings apply (<c>--env</c>), or null.</param>
    /// <param name="vars">The <c>--var NAME=VALUE</c> overrides.</param>
    public static async Task<EvalSession> OpenAsync(CliContext ctx, bool useCache, string? environment, IReadOnlyList<string> vars, CancellationToken cancellationToken)
    {
        var manifest = ctx.Manifest;
        var config = manifest.Eval ?? throw new BadInputException($"{manifest.FilePath}: no eval: section; expected eval: {{ dataset: evals/cases.jsonl, scorers: [...] }}");
        var (promptVars, _) = PromptVars.Resolve(manifest, environment, vars, firstByDefault: false);
        var store = await ctx.StoreAsync(cancellationToken).ConfigureAwait(false);
        // The run's concurrency bounds its calls, so the provider default (16, for the gateway) must not cap it silently;
        // a max_concurrency the manifest sets still applies, and ExecuteAsync says which limit does.
        var factory = ctx.Env.ModelClients?.Invoke(manifest, store) ?? new ModelClientFactory(ctx.Time, PriceTable.For(manifest), store.ResponseCache,
            defaults: new ModelClientDefaults { MaxConcurrency = EvalConcurrency.UnsetProviderLimit });
        var build = new ScorerBuildContext
        {
            ReadFile = path => ReadManifestFile(manifest, path),
            JudgeClient = model => factory.Create(model, ProviderSettingsResolver.Resolve(manifest, model.Provider, null), new ModelClientOptions { UseCache = useCache }),
            Cost = (_, response) => ReleaseTarget.CostOf(response),
        };
        var scorers = ScorerSet.Build(config.Scorers, ScorerRegistry.CreateDefault(), build);
        if (scorers.Entries.Count == 0)
        {
            ctx.Output.Note("warning: eval.scorers is empty: every case passes. Add scorers such as { type: contains }.");
        }

        return new EvalSession(ctx, store, config, factory, scorers, useCache, environment, promptVars);
    }

    public async Task<EvalDataset> LoadDatasetAsync(string path, IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(Manifest.BaseDirectory, path);
        var dataset = await DatasetReader.LoadAsync(full, path, cancellationToken).ConfigureAwait(false);
        return dataset.WithTags(tags);
    }

    public IEvalTarget Target(Release release)
    {
        var provider = release.Snapshot().Model.Provider;
        var settings = ProviderSettingsResolver.Resolve(Manifest, provider, _environment);
        _providers.Add((provider, settings));
        return new ReleaseTarget(release, _factory, settings, _useCache, _ctx.Time) { Vars = _vars };
    }

    public string NewRunId() =>
        _ctx.Time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

    /// <summary>Runs what is left of <paramref name="run"/> with a progress bar; on Ctrl-C marks it cancelled and says how to resume.</summary>
    public async Task<IReadOnlyList<TrialResult>> ExecuteAsync(EvalRun run, IReadOnlyList<EvalCase> cases, IReadOnlyList<IEvalTarget> targets, string resumeCommand, CancellationToken cancellationToken)
    {
        var done = (await Store.EvalRuns.CompletedAsync(run.Id, cancellationToken).ConfigureAwait(false)).Count;
        var printer = new RunProgressPrinter(_ctx.Env.Stderr, RunProgressPrinter.IsInteractive(_ctx.Env), _ctx.Time, $"run {run.Id}", done);
        if (done > 0)
        {
            _ctx.Output.Note($"resuming run {run.Id}: {done} of {run.TotalTrials} result(s) already saved are not repeated");
        }

        Concurrency = EvalConcurrency.For(run.Concurrency, _providers);
        _ctx.Output.Note($"run {run.Id}: {Concurrency.Describe()}");
        var runner = new EvalRunner(Store.EvalRuns, Scorers, _ctx.Time) { Progress = printer.Report };
        try
        {
            await runner.RunAsync(run, cases, targets, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            printer.Finish();
            await Store.EvalRuns.SetStatusAsync(run.Id, "cancelled", null, CancellationToken.None).ConfigureAwait(false);
            _ctx.Output.Note($"stopped; finished results are saved. Continue with: {resumeCommand} --resume {run.Id}");
            throw;
        }

        printer.Finish();
        await Store.EvalRuns.SetStatusAsync(run.Id, "finished", _ctx.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return await Store.EvalRuns.ResultsAsync(run.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads a run to resume, checking it belongs to this app and command and that its dataset has not changed.</summary>
    public async Task<(EvalRun Run, EvalDataset Dataset)> ResumeAsync(string id, string kind, CancellationToken cancellationToken)
    {
        var run = await Store.EvalRuns.GetAsync(Manifest.App, id, cancellationToken).ConfigureAwait(false)
            ?? throw new BadInputException($"no eval run '{id}' for app '{Manifest.App}'; 'glidepath eval list' shows the runs");
        if (run.Kind != kind)
        {
            throw new BadInputException($"run {run.Id} is a {run.Kind} run; resume it with 'glidepath {(run.Kind == "gate" ? "gate" : "eval run")} --resume {run.Id}'");
        }

        var dataset = await LoadDatasetAsync(run.DatasetPath, run.Tags, cancellationToken).ConfigureAwait(false);
        if (dataset.Sha256 != run.DatasetSha256)
        {
            throw new BadInputException($"{run.DatasetPath} changed since run {run.Id} started (sha256 {run.DatasetSha256[..12]} → {dataset.Sha256[..12]}); results would not be comparable: start a new run");
        }

        if (Scorers.Version != run.ScorerVersion)
        {
            throw new BadInputException($"the scorers (eval.scorers, rubrics, judge) changed since run {run.Id} started; start a new run");
        }

        return (run, dataset);
    }

    public async Task<Release> ReleaseByIdAsync(string id, CancellationToken cancellationToken) =>
        await Store.Releases.GetByIdAsync(Manifest.App, id, cancellationToken).ConfigureAwait(false)
        ?? throw new OperationalException($"release {id[..12]} of run is missing from the store");

    public void Dispose()
    {
        Scorers.Dispose();
        if (_ctx.Env.ModelClients is null)
        {
            (_factory as IDisposable)?.Dispose();
        }
    }

    private static byte[] ReadManifestFile(Manifest manifest, string path)
    {
        var full = Path.IsPathRooted(path) ? path : Path.Combine(manifest.BaseDirectory, path);
        return File.Exists(full) ? File.ReadAllBytes(full) : throw new BadInputException($"{path}: no such file (named by eval.scorers); expected a path relative to the manifest");
    }
}
