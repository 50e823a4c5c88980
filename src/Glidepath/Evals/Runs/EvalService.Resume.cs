using System.Globalization;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Evals.Runs;

/// <summary>Resuming a stopped run: the checks that it is the same run, and what its earlier processes spent.</summary>
public sealed partial class EvalService
{
    /// <summary>Loads a run to resume, checking it belongs to this app and command and that its dataset and scorers have not changed.</summary>
    /// <remarks>
    /// A run continues as it was started: a release, baseline, <c>--trials</c>, <c>--dataset</c> or <c>--tag</c> given
    /// with <c>--resume</c> that is not the run's own is bad input (it was ignored, and the run's results reported as if
    /// they were the ones asked for). <c>--concurrency</c> may change. The response cache is used as the run was
    /// started: a <c>--no-cache</c> run stays uncached without the flag, and <c>--no-cache</c> on a cached run is bad input
    /// (the run would mix cached and fresh answers while it records that it used the cache).
    /// </remarks>
    /// <returns>The run, its dataset checked, and the releases it scores (the baseline null for an eval run).</returns>
    internal async Task<(EvalRun Run, DatasetScan Dataset, Release Release, Release? Baseline)> ResumeAsync(
        string id, EvalRunKind kind, EvalRunOptions options, CancellationToken cancellationToken, string? release = null, string? baseline = null)
    {
        var run = await EvalRunLookup.FindAsync(_store.EvalRuns, Manifest.App, id, cancellationToken).ConfigureAwait(false);
        if (run.Kind != kind)
        {
            throw new BadInputException($"run {run.Id} is a {StoredName.Of(run.Kind)} run; resume it with 'glidepath {(run.Kind == EvalRunKind.Gate ? "gate" : "eval run")} --resume {run.Id}'");
        }

        await SameAsStartedAsync(run, options, release, baseline, cancellationToken).ConfigureAwait(false);
        if (!run.UseCache && _setup.UseCache)
        {
            // Started with --no-cache: the rest is asked fresh too, the judge's calls included (the resume used to serve
            // it from the cache while the run still said use_cache false).
            var uncached = BuildScorers(useCache: false);
            Scorers.Dispose();
            Scorers = uncached;
        }

        var scored = await ReleaseByIdAsync(run.ReleaseId, cancellationToken).ConfigureAwait(false);
        var baselineRelease = run.BaselineReleaseId is { } b ? await ReleaseByIdAsync(b, cancellationToken).ConfigureAwait(false) : null;
        var names = CheckedNames(baselineRelease is null ? ReleaseNames.Of(scored) : ReleaseNames.Of(scored, baselineRelease));
        var dataset = await ScanDatasetAsync(run.DatasetPath, run.Tags, cancellationToken, names).ConfigureAwait(false);
        if (dataset.Sha256 != run.DatasetSha256)
        {
            throw new BadInputException($"{run.DatasetPath} changed since run {run.Id} started (sha256 {run.DatasetSha256[..12]} → {dataset.Sha256[..12]}); results would not be comparable: start a new run");
        }

        if (Scorers.Version != run.ScorerVersion)
        {
            throw new BadInputException($"the scorers (eval.scorers, rubrics, judge) changed since run {run.Id} started; start a new run");
        }

        await CountJudgeSpendAsync(run.Id, cancellationToken).ConfigureAwait(false);

        return (run with { Concurrency = options.Concurrency ?? run.Concurrency }, dataset, scored, baselineRelease);
    }

    /// <summary>
    /// Tells each judge with a <c>max_spend_usd</c> what the run's stored scores of it record as spent (cached answers
    /// counted as the run counted them), so the cap holds across resumes. An answer that could not be read records its
    /// cost with the error; but a resume asks errored trials again, and their new results replace the old: what those
    /// earlier answers cost is then no longer counted (the count is at most that much low).
    /// </summary>
    private async Task CountJudgeSpendAsync(string runId, CancellationToken cancellationToken)
    {
        var limited = Scorers.Entries.Where(e => e.Evaluator is LlmJudgeScorer { HasSpendLimit: true }).ToDictionary(e => e.Name, e => (LlmJudgeScorer)e.Evaluator, StringComparer.Ordinal);
        if (limited.Count == 0)
        {
            return;
        }

        var spent = new Dictionary<string, (decimal Total, decimal Dearest)>(StringComparer.Ordinal);
        await foreach (var result in _store.EvalRuns.ReadResultsAsync(runId, notPassedOnly: false, cancellationToken).ConfigureAwait(false))
        {
            foreach (var score in result.Scores)
            {
                if (limited.ContainsKey(score.Scorer) && JudgeUsage.TryRead(score.Metadata, out _, out var usd) && usd is { } cost)
                {
                    var (total, dearest) = spent.GetValueOrDefault(score.Scorer);
                    spent[score.Scorer] = (total + cost, Math.Max(dearest, cost));
                }
            }
        }

        foreach (var (name, (total, dearest)) in spent)
        {
            limited[name].CountSpent((double)total, (double)dearest);
        }
    }

    private async Task SameAsStartedAsync(EvalRun run, EvalRunOptions options, string? release, string? baseline, CancellationToken cancellationToken)
    {
        var differs = new List<string>();
        if (options.Trials is { } trials && trials != run.Trials)
        {
            differs.Add(string.Create(CultureInfo.InvariantCulture, $"--trials {trials} (it runs {run.Trials})"));
        }

        if (options.Dataset is { } dataset && Path.GetFullPath(DatasetFile(dataset)) != Path.GetFullPath(DatasetFile(run.DatasetPath)))
        {
            differs.Add($"--dataset {dataset} (it reads {run.DatasetPath})");
        }

        if (!_setup.UseCache && run.UseCache)
        {
            differs.Add("--no-cache (it uses the response cache)");
        }

        if (options.Tags.Count > 0 && !options.Tags.ToHashSet(StringComparer.Ordinal).SetEquals(run.Tags))
        {
            differs.Add($"--tag {string.Join(" --tag ", options.Tags)} (it selects {(run.Tags.Count == 0 ? "every case" : "--tag " + string.Join(" --tag ", run.Tags))})");
        }

        foreach (var (given, id, what) in new[] { (release, run.ReleaseId, run.Kind == EvalRunKind.Gate ? "candidate" : "release"), (baseline, run.BaselineReleaseId, "baseline") })
        {
            if (given is not null && (await Releases.ResolveAsync(given, register: false, cancellationToken).ConfigureAwait(false)).Id != id)
            {
                differs.Add($"{what} {given} (it scores {(id is null ? "none" : (await ReleaseByIdAsync(id, cancellationToken).ConfigureAwait(false)).Label)})");
            }
        }

        if (differs.Count > 0)
        {
            throw new BadInputException($"--resume {run.Id} continues the run as it was started, and it was not started with {string.Join(", ", differs)}: leave {(differs.Count == 1 ? "that" : "those")} out, or start a new run without --resume");
        }
    }
}
