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

        // One process at a time: taken before the spend is read, so what an earlier process spent is all in what this one reads.
        await TakeLeaseAsync(run.Id, cancellationToken).ConfigureAwait(false);
        try
        {
            run = await EvalRunLookup.FindAsync(_store.EvalRuns, Manifest.App, run.Id, cancellationToken).ConfigureAwait(false);
            return await CheckedResumeAsync(run, options, release, baseline, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ReleaseLeaseAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<(EvalRun Run, DatasetScan Dataset, Release Release, Release? Baseline)> CheckedResumeAsync(
        EvalRun run, EvalRunOptions options, string? release, string? baseline, CancellationToken cancellationToken)
    {
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

        if (Scorers.Version != run.ScorerVersion && !StartedWithTheCapVersioned(run))
        {
            throw new BadInputException($"the scorers (eval.scorers, rubrics, judge) changed since run {run.Id} started; start a new run{CapInOldVersion()}");
        }

        run = run with { JudgeSpend = await JudgeSpendOfAsync(run, cancellationToken).ConfigureAwait(false), Concurrency = options.Concurrency ?? run.Concurrency };
        CountJudgeSpend(run.JudgeSpend!);
        await RefuseWhenSpentAsync(run, cancellationToken).ConfigureAwait(false);
        return (run, dataset, scored, baselineRelease);
    }

    /// <summary>
    /// Whether the run was started, before 2026-12-07, with the scorers as they are now, by a Glidepath whose scorer version
    /// still counted a judge's <c>max_spend_usd</c>: then nothing that scores changed, and the run resumes (trial gatejudge3 L4).
    /// </summary>
    private bool StartedWithTheCapVersioned(EvalRun run) =>
        ScorersHaveACap
        && ScorerSet.VersionOf(Config.Scorers, path => Files.AppFile.Read(Manifest.BaseDirectory, path, "eval.scorers"), withUnversioned: true) == run.ScorerVersion;

    /// <summary>Whether a scorer in <c>eval.scorers</c> has an option kept out of the scorer version (a judge's <c>max_spend_usd</c>).</summary>
    private bool ScorersHaveACap => Config.Scorers.Any(s => s.Options.Keys.Any(ScorerSet.Unversioned));

    /// <summary>
    /// For the refusal of a run whose scorers changed, with a cap in <c>eval.scorers</c>: a run started before 2026-12-07 has
    /// the cap in its scorer version, so a cap changed since is a change to it. Which cap it had is not stored, so the
    /// refusal says so as the likely cause when only the cap changed (trial gatejudge3 L4).
    /// </summary>
    private string CapInOldVersion() =>
        ScorersHaveACap
            ? ". If only max_spend_usd changed: a run started before 2026-12-07 has max_spend_usd in its scorer version (Glidepath " +
              "counted it then), so it resumes only with each judge's max_spend_usd as it was when the run started: put it back to " +
              "resume, or start a new run (a new run's cap is not in its version, so raising it later resumes that run)"
            : "";

    /// <summary>
    /// What the run's judges have spent, every process of it (<see cref="EvalRun.JudgeSpend"/>): answers that errored and
    /// those whose results a resume replaced included. A run stored before the store kept it has it added up from its stored
    /// results now (what is left of the replaced answers is not known) and stored, so it is kept from here on.
    /// </summary>
    private async Task<IReadOnlyList<JudgeSpend>> JudgeSpendOfAsync(EvalRun run, CancellationToken cancellationToken)
    {
        if (run.JudgeSpend is { } kept)
        {
            return kept;
        }

        var results = await _store.EvalRuns.ResultsAsync(run.Id, cancellationToken).ConfigureAwait(false);
        var spend = JudgeSpend.Of(results);
        await _store.EvalRuns.AddJudgeSpendAsync(run.Id, spend, cancellationToken).ConfigureAwait(false);
        return spend;
    }

    /// <summary>
    /// Tells each judge with a <c>max_spend_usd</c> what the run spent on it before (cached answers counted as the run
    /// counted them, over both sides of a gate), so the cap holds for the run, not for each process.
    /// </summary>
    private void CountJudgeSpend(IReadOnlyList<JudgeSpend> spend)
    {
        foreach (var entry in Scorers.Entries)
        {
            if (entry.Evaluator is LlmJudgeScorer { HasSpendLimit: true } judge)
            {
                var mine = spend.Where(s => s.Scorer == entry.Name).ToList();
                // Calls that got no answer count as the process that made them counted them (trial gatejudge3 M2).
                judge.CountSpent((double)mine.Sum(s => (s.CostUsd ?? 0) + s.UnansweredUsd), (double)mine.Select(s => s.DearestUsd).DefaultIfEmpty(0).Max());
            }
        }
    }

    /// <summary>
    /// Refuses (exit 2, nothing called) to resume a run that has trials left when a judge's <c>max_spend_usd</c> is already
    /// spent: each would be refused its score, so asking the release's model for them would only be paid and thrown away
    /// (trial gatejudge2 M3: 4,667 release calls per such resume). Raising the cap resumes it: the cap is not part of the
    /// scorer version.
    /// </summary>
    private async Task RefuseWhenSpentAsync(EvalRun run, CancellationToken cancellationToken)
    {
        if (Scorers.SpendLimitReached() is not { } reached)
        {
            return;
        }

        var done = (await _store.EvalRuns.CompletedAsync(run.Id, cancellationToken).ConfigureAwait(false)).Count;
        if (done < run.TotalTrials)
        {
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture,
                $"run {run.Id} cannot go on: {reached}, so each of its {run.TotalTrials - done} trial(s) left would be refused; nothing was called. " +
                $"Raise max_spend_usd in eval.scorers (it is not part of the scorer version, so the run keeps its results and its spend), then run this --resume again"));
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
