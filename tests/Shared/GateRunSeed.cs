using System.Text.Json;
using Glidepath.Evals;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Storage;

namespace Glidepath.Testing;

/// <summary>A stored gate run of a candidate against a baseline over two cases, the candidate failing one, and its verdict (blocked unless told).</summary>
internal static class GateRunSeed
{
    public const string FailedCase = "refund-window";
    public const string BaselineAnswer = "Returns are accepted within 30 days.";
    public const string CandidateAnswer = "You can return them any time.";

    /// <param name="basis">The dataset, scorers and rule the verdict was computed on (a made-up one when null, which counts for nothing).</param>
    public static async Task<GateVerdictRecord> SeedAsync(IGlidepathStore store, string app, string candidateId, string baselineId, string result = "blocked", Glidepath.Evals.Gate.GateBasis? basis = null)
    {
        var now = DateTimeOffset.UtcNow;
        var run = new EvalRun
        {
            Id = "run-" + Guid.NewGuid().ToString("N")[..12], App = app, Kind = EvalRunKind.Gate, ReleaseId = candidateId, BaselineReleaseId = baselineId,
            DatasetPath = "evals/support.jsonl", DatasetSha256 = basis?.DatasetSha256 ?? new string('a', 64), Trials = 1, CaseCount = 2, ScorerVersion = basis?.ScorerVersion ?? "test", CreatedAt = now,
        };
        await store.EvalRuns.CreateAsync(run, default);
        TrialResult Trial(string release, string @case, bool pass, string output) => new()
        {
            RunId = run.Id, ReleaseId = release, CaseId = @case, Trial = 0, Status = pass ? TrialStatus.Pass : TrialStatus.Fail, Score = pass ? 1 : 0, Output = output, FinishedAt = now,
            Scores = [new ScoreOutcome { Scorer = "contains", Passed = pass, Score = pass ? 1 : 0, Reason = pass ? "found" : "missing '30 days'" }],
        };
        await store.EvalRuns.SaveResultsAsync(
        [
            Trial(baselineId, FailedCase, true, BaselineAnswer),
            Trial(candidateId, FailedCase, false, CandidateAnswer),
            Trial(baselineId, "greeting", true, "Hello!"),
            Trial(candidateId, "greeting", true, "Hello!"),
        ], default);
        var verdict = new GateVerdictRecord("gv-" + Guid.NewGuid().ToString("N")[..12], app, candidateId, baselineId, run.DatasetSha256, result, run.ScorerVersion, now,
            JsonSerializer.Serialize(new { run = run.Id, cases = 2, trials = 1, regressed = new[] { FailedCase }, reasons = new[] { FailedCase + " regressed" } }))
        {
            GateRule = basis?.Rule.Json,
            GateRuleSha256 = basis?.Rule.Sha256,
        };
        await store.GateVerdicts.SaveAsync(verdict, default);
        return verdict;
    }
}
