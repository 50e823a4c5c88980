using System.Text.Json;
using Glidepath.Evals;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Storage.InMemory;

namespace Glidepath.Tests.Evals;

/// <summary>A stored verdict's failed cases, read as streams: counts per side, the shown trials' answers, regressed first.</summary>
public sealed class GateVerdictCasesTests
{
    private const string Baseline = "base", Candidate = "cand";

    [Fact]
    public async Task ReadAsync_SeveralTrials_ShowsTheCandidatesFirstFailedTrialBesideTheBaselinesFirstPass()
    {
        var store = new InMemoryStore();
        var now = DateTimeOffset.UtcNow;
        await store.EvalRuns.CreateAsync(new EvalRun
        {
            Id = "run-1", App = "app", Kind = EvalRunKind.Gate, ReleaseId = Candidate, BaselineReleaseId = Baseline,
            DatasetPath = "d.jsonl", DatasetSha256 = new string('a', 64), Trials = 3, CaseCount = 3, ScorerVersion = "test", CreatedAt = now,
        }, default);
        TrialResult T(string release, string @case, int trial, bool pass) => new()
        {
            RunId = "run-1", ReleaseId = release, CaseId = @case, Trial = trial, Status = pass ? TrialStatus.Pass : TrialStatus.Fail, Score = pass ? 1 : 0,
            Output = $"{release} {@case} #{trial}", FinishedAt = now,
            Scores = [new ScoreOutcome { Scorer = "contains", Passed = pass, Score = pass ? 1 : 0, Reason = pass ? "found" : $"missing in #{trial}" }],
        };

        // Saved latest trial first: the answers shown are picked by trial number, not by the order of the store.
        await store.EvalRuns.SaveResultsAsync(
        [
            T(Baseline, "refund", 2, true), T(Baseline, "refund", 1, true), T(Baseline, "refund", 0, false),
            T(Candidate, "refund", 2, false), T(Candidate, "refund", 1, false), T(Candidate, "refund", 0, true),
            T(Baseline, "flaky", 1, true), T(Baseline, "flaky", 0, true), T(Candidate, "flaky", 1, false), T(Candidate, "flaky", 0, true),
            T(Baseline, "fine", 0, true), T(Candidate, "fine", 0, true),
        ], default);
        var verdict = new GateVerdictRecord("gv-1", "app", Candidate, Baseline, new string('a', 64), "blocked", "test", now,
            JsonSerializer.Serialize(new { run = "run-1", regressed = new[] { "refund" } }));

        var cases = await GateVerdictCases.ReadAsync(store.EvalRuns, verdict, default);

        Assert.Equal(["refund", "flaky"], cases.Select(c => c.CaseId));
        var refund = cases[0];
        Assert.True(refund.Regressed);
        Assert.Equal((2, 3, 1, 3), (refund.BaselinePasses, refund.BaselineTrials, refund.CandidatePasses, refund.CandidateTrials));
        Assert.Equal("base refund #1", refund.BaselineAnswer);
        Assert.Equal("cand refund #1", refund.CandidateAnswer);
        Assert.Equal("contains: missing in #1", refund.CandidateReason);
        var flaky = cases[1];
        Assert.False(flaky.Regressed);
        Assert.Equal(("base flaky #0", "cand flaky #1"), (flaky.BaselineAnswer, flaky.CandidateAnswer));
    }
}
