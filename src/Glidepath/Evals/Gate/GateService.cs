using Glidepath.Errors;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;
using Glidepath.Releases;
using Glidepath.Storage;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The gate use case: the candidate and the baseline scored over the same cases in one run (through
/// <see cref="EvalService"/>), the decision by <see cref="GateEvaluator"/>, and the verdict stored as evidence for promotion.
/// </summary>
public sealed class GateService(EvalService evals, IGateVerdictStore verdicts, TimeProvider time)
{
    /// <summary>
    /// Resolves the candidate (registering it once nothing refuses the gate) and the baseline (default: <c>eval.gate.baseline</c>), checks the dataset
    /// without keeping its cases and creates the gate run, or picks up <see cref="EvalRunOptions.Resume"/> with the releases
    /// it was started with. A dataset with no case to run (a <c>--tag</c> that selects none, a typo most often) is bad
    /// input, as for <c>eval run</c>: no run and no verdict, so a mistyped tag cannot take back a release's earlier pass.
    /// </summary>
    public async Task<GateStart> StartAsync(string? candidate, string? baseline, EvalRunOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Resume is { } id)
        {
            var (resumed, scan, resumedCandidate, resumedBaseline) = await evals.ResumeAsync(id, EvalRunKind.Gate, options, cancellationToken, candidate, baseline).ConfigureAwait(false);
            return new GateStart(resumed, resumedCandidate, resumedBaseline!, scan, Resumed: true);
        }

        // Everything that can refuse the gate is checked before the candidate is registered: a refused gate (a baseline
        // environment with no stable release, a tag with no case) stores nothing, not even a vN name for the working tree.
        var baselineReference = baseline ?? evals.Config.Gate.Baseline;
        var candidateRef = candidate ?? "working";
        var ((resolvedCandidate, baselineRelease), dataset) = await evals.ResolveWhileScanningAsync(options.Dataset, options.Tags, async ct =>
        {
            var resolvedCandidate = await evals.Releases.ResolveRefAsync(candidateRef, ct).ConfigureAwait(false);
            // A provider key that is not set would fail every call: refused before anything is registered (a git: baseline
            // is registered as it is resolved), the baseline's once it is known.
            evals.CheckProvider(resolvedCandidate.Release);
            var baselineRelease = await ResolveBaselineAsync(baselineReference, resolvedCandidate.Release, ct).ConfigureAwait(false);
            // The names either release defines count (ReleaseNames): a candidate that renames a tool or a variable must not
            // stop the gate because the baseline still has the old name, nor the other way round.
            return ((resolvedCandidate, baselineRelease), evals.CheckedNames(ReleaseNames.Of(resolvedCandidate.Release, baselineRelease)));
        }, cancellationToken).ConfigureAwait(false);
        var candidateRelease = resolvedCandidate.Release;
        if (dataset.CaseCount == 0)
        {
            var path = options.Dataset ?? evals.Config.Dataset;
            throw new BadInputException(options.Tags.Count > 0
                ? $"{path}: no case has the tag {string.Join(" or ", options.Tags)}; nothing was run and no verdict was stored"
                : $"{path}: no cases to gate; nothing was run and no verdict was stored");
        }

        if (candidateRelease.Id != baselineRelease.Id)
        {
            evals.CheckProvider(baselineRelease);
        }

        // Registered even when the content is stored: a registration from a new commit adds its provenance record.
        // The candidate checked above: the working tree is read (and git run) once.
        candidateRelease = await evals.Releases.RegisterAsync(resolvedCandidate, cancellationToken).ConfigureAwait(false);

        // Read before the run is made: nothing between its creation (and its lease) and the return can fail or be stopped.
        var baselineCommit = await BaselineRules.CommitOfAsync(evals.Manifest, baselineReference, cancellationToken).ConfigureAwait(false);
        var run = await evals.CreateRunAsync(EvalRunKind.Gate, candidateRelease, baselineRelease, dataset.Sha256, dataset.CaseCount, options, cancellationToken).ConfigureAwait(false);
        return new GateStart(run, candidateRelease, baselineRelease, dataset, Resumed: false)
        {
            BaselineCommit = baselineCommit,
            BaselineRevision = baselineReference.StartsWith("git:", StringComparison.Ordinal) ? baselineReference[4..].Trim() : null,
        };
    }

    /// <summary>
    /// Runs what is left (baseline and candidate interleaved case by case), decides, and stores the verdict, except a
    /// pass of a run narrower than the manifest's gate (<see cref="GateScope"/>): that one is reported, never stored.
    /// Zero cases, or any errored trial, is an error verdict: never a pass. Cases and results are read as streams, as
    /// <c>eval run</c> does: the decision is made from a few counts per case, and only the cases that changed get their
    /// answers (a second read of the results). A dataset that changed since the start fails the run as bad input; the
    /// results finished until then stay saved. The run's lease is held until the verdict is stored (and given up however the
    /// gate ends): a <c>--resume</c> of the run meanwhile is refused, so it cannot change the results this verdict is decided
    /// from or store another verdict beside it; a process that lost the run to another stores none (exit 3).
    /// </summary>
    public async Task<GateOutcome> RunAsync(GateStart start, IEvalRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        try
        {
            return await DecideAsync(start, observer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await evals.ReleaseLeaseAsync().ConfigureAwait(false);
        }
    }

    private async Task<GateOutcome> DecideAsync(GateStart start, IEvalRunObserver? observer, CancellationToken cancellationToken)
    {
        var (run, candidate, baseline, dataset) = (start.Run, start.Candidate, start.Baseline, start.Dataset);
        IReadOnlyList<Release> releases = start.SameContent ? [candidate] : [baseline, candidate];
        IReadOnlyList<RunSummary> summaries = [];
        if (dataset.CaseCount > 0)
        {
            (summaries, _) = await evals.ExecuteAsync(run, dataset.ReadAsync(cancellationToken), releases, observer, cancellationToken).ConfigureAwait(false);
        }

        var tally = await GateRunTally.ReadAsync(dataset.ReadAsync(cancellationToken), evals.ReadResultsAsync(run.Id, cancellationToken), baseline.Id, candidate.Id, cancellationToken).ConfigureAwait(false);
        var rule = VerdictRule.Of(evals.Config);
        var fork = await BaselineRules.ForkAsync(evals.Manifest, start.BaselineCommit ?? (baseline.Dirty ? null : baseline.GitCommit), start.BaselineRevision, cancellationToken).ConfigureAwait(false);
        var decided = GateEvaluator.DecideFromTallies(tally.Cases, GateRule.From(evals.Config.Gate), tally.OneRun);
        var decision = decided with
        {
            Cases = await tally.WithAnswersAsync(decided.Cases, evals.ReadResultsAsync(run.Id, cancellationToken), cancellationToken).ConfigureAwait(false),
            AlwaysFailing = decided.AlwaysFailing?.ForRun(run.Id),
            AlwaysErrored = decided.AlwaysErrored?.ForRun(run.Id),
        };
        var report = new GateReport
        {
            App = evals.Manifest.App,
            RunId = run.Id,
            CandidateLabel = candidate.Label,
            CandidateId = candidate.Id,
            BaselineLabel = baseline.Label,
            BaselineId = baseline.Id,
            DatasetPath = run.DatasetPath,
            DatasetSha256 = run.DatasetSha256,
            ScorerVersion = evals.Scorers.Version,
            Judges = evals.Scorers.Judges,
            Decision = decision,
            Summaries = summaries,
            CreatedAt = time.GetUtcNow(),
            Partial = GateScope.Partial(run, evals.Config, evals.DatasetFile),
            Rule = rule,
            RuleChange = fork is null ? null : RuleChange.Of(rule, fork),
            ScorerChange = fork is null ? null : ScorerChange.Of(evals.Config.Scorers, file => Files.AppFile.Read(evals.Manifest.BaseDirectory, file, "eval.scorers"), fork),
            DatasetChange = await DatasetChangeAsync(fork, run, cancellationToken).ConfigureAwait(false),
        };
        if (report.Partial is not null && decision.Result == GateResult.Pass)
        {
            // A pass over chosen cases is no evidence; a block or an error over them still is (it stops promotion
            // until the whole gate passes), so only the pass goes unstored.
            return new GateOutcome(start, summaries, report, Verdict: null);
        }

        // The rule it was decided under goes with it: a verdict counts only while that rule is the one in force (GateBasis).
        var verdict = new GateVerdictRecord(
            "gv-" + Guid.NewGuid().ToString("N")[..16], report.App, candidate.Id, baseline.Id, run.DatasetSha256, StoredName.Of(decision.Result),
            report.ScorerVersion, report.CreatedAt, JsonReport.Details(report))
        {
            GateRule = rule.Json,
            GateRuleSha256 = rule.Sha256,
        };
        evals.ThrowIfTakenOver();
        await verdicts.SaveAsync(verdict, cancellationToken).ConfigureAwait(false);
        return new GateOutcome(start, summaries, report, verdict);
    }

    // Only for the manifest's own dataset: a run on another --dataset file is partial, and that file was never the baseline's.
    private async Task<DatasetChange?> DatasetChangeAsync(BaselineFork? fork, EvalRun run, CancellationToken cancellationToken)
    {
        var file = evals.DatasetFile(run.DatasetPath);
        return fork is null || !string.Equals(Path.GetFullPath(file), Path.GetFullPath(evals.DatasetFile(evals.Config.Dataset)), StringComparison.Ordinal)
            ? null
            : await DatasetChange.CompareAsync(fork, file, run.DatasetSha256, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Release> ResolveBaselineAsync(string reference, Release candidate, CancellationToken cancellationToken)
    {
        try
        {
            return await evals.Releases.ResolveAsync(reference, register: true, cancellationToken).ConfigureAwait(false);
        }
        catch (BadInputException ex) when (IsDeclaredEnvironment(reference))
        {
            throw new BadInputException($"baseline {reference}: {ex.Message}. {await NoBaselineAdviceAsync(candidate, cancellationToken).ConfigureAwait(false)}", ex);
        }
    }

    /// <summary>
    /// How to gate anyway when the baseline environment has no stable release: another registered release, never the
    /// candidate itself (a gate of a release against its own content passes whatever it does, and was once suggested to a
    /// new app as "--baseline v1" with v1 the candidate); on a store with no release at all, in a git checkout, the base
    /// branch; else that there is nothing to gate against yet, and what a first release does instead.
    /// </summary>
    private async Task<string> NoBaselineAdviceAsync(Release candidate, CancellationToken cancellationToken)
    {
        var app = evals.Manifest.App;
        var all = await evals.ListReleasesAsync(cancellationToken).ConfigureAwait(false);
        if (all.Where(r => r.Id != candidate.Id).MaxBy(r => r.Version) is { } other)
        {
            return $"Gate against another registered release instead, e.g. --baseline {other.Name} ('glidepath release list' shows them)";
        }

        if (all.Count == 0 && await BaseBranch.GuessAsync(evals.Manifest, cancellationToken).ConfigureAwait(false) is { } branch)
        {
            return $"This store has no release of {app} yet: gate against the base branch instead, e.g. --baseline git:{branch}";
        }

        var first = evals.Manifest.Environments.FirstOrDefault(e => e.Requires.Count == 0)?.Name ?? evals.Manifest.Environments.FirstOrDefault()?.Name ?? "ENV";
        var deploy = candidate.Version > 0
            ? $"glidepath deploy {candidate.Name} --env {first}"
            : $"glidepath release create, then glidepath deploy vN --env {first}";
        return $"No other release of {app} is registered, so there is nothing to gate {candidate.Name} against (gating it against itself would pass whatever it does). " +
            $"A first release needs no gate: {deploy}; gate the next change against it";
    }

    private bool IsDeclaredEnvironment(string reference) =>
        reference.StartsWith("env:", StringComparison.Ordinal) && evals.Manifest.FindEnvironment(reference.Trim()[4..]) is not null;
}
