using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Storage.Contract.Tests.Support;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>Eval runs and results: looked up by id or unique prefix, results first-write-wins (an error is replaced).</summary>
public abstract class EvalRunStoreContract(IStoreFactory factory) : StoreContract(factory)
{
    internal static EvalRun Run(string id, int cases, int concurrency = 16, DateTimeOffset? at = null) => new()
    {
        Id = id,
        App = "app",
        Kind = EvalRunKind.Eval,
        ReleaseId = new string('a', 64),
        DatasetPath = "cases.jsonl",
        DatasetSha256 = new string('d', 64),
        Trials = 1,
        CaseCount = cases,
        ScorerVersion = "v",
        Concurrency = concurrency,
        CreatedAt = at ?? DateTimeOffset.UnixEpoch,
    };

    private static TrialResult Result(string runId, string caseId, string output = "answer", TrialStatus status = TrialStatus.Fail) => new()
    {
        RunId = runId,
        ReleaseId = new string('a', 64),
        CaseId = caseId,
        Trial = 0,
        Status = status,
        Score = 0.5,
        Output = output,
        ToolCalls = ["lookup_order({})"],
        LatencyMs = 12.5,
        CostUsd = 0.01,
        InputTokens = 7,
        Scores = [new ScoreOutcome { Scorer = "contains", Score = 0.5, Passed = false, Reason = "missing: \"x\"" }],
        FinishedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task Store_RunsAndResults_RoundTripWithPrefixLookupAndFirstWriteWins()
    {
        var run = Run("20260101-000000-abcd", 1) with { Tags = ["smoke"], BaselineReleaseId = new string('b', 64), UseCache = false };
        await Store.EvalRuns.CreateAsync(run, None);
        var byPrefix = await Store.EvalRuns.GetAsync("app", "20260101-000000-ab", None);
        Assert.Equal((run.Id, run.BaselineReleaseId, false, EvalRunStatus.Running), (byPrefix!.Id, byPrefix.BaselineReleaseId, byPrefix.UseCache, byPrefix.Status));
        Assert.Equal(["smoke"], byPrefix.Tags);
        Assert.Null(await Store.EvalRuns.GetAsync("other", run.Id, None));

        await Store.EvalRuns.SaveResultsAsync([Result(run.Id, "c")], None);
        await Store.EvalRuns.SaveResultsAsync([Result(run.Id, "c", "second", TrialStatus.Pass)], None);

        var back = Assert.Single(await Store.EvalRuns.ResultsAsync(run.Id, None));
        Assert.Equal(("answer", TrialStatus.Fail, 12.5, 0.01, 7L, (long?)null), (back.Output, back.Status, back.LatencyMs, back.CostUsd, back.InputTokens, back.OutputTokens));
        Assert.Equal("missing: \"x\"", Assert.Single(back.Scores).Reason);
        Assert.Equal(["lookup_order({})"], back.ToolCalls);
        Assert.Equal([new TrialKey(run.ReleaseId, "c", 0)], await Store.EvalRuns.CompletedAsync(run.Id, None));
    }

    // A resume asks an errored trial again (docs/eval.md, "Persistence and resume"): its new result must take the error's
    // place, where first-write-wins kept the error and the resumed run could only end in exit 3.
    [Fact]
    public async Task SaveResultsAsync_OverAStoredError_ReplacesItInItsPlace_OverAPassOrFail_KeepsTheFirst()
    {
        var run = Run("20260101-000000-e770", 3);
        await Store.EvalRuns.CreateAsync(run, None);
        await Store.EvalRuns.SaveResultsAsync([Result(run.Id, "a", "first", TrialStatus.Error), Result(run.Id, "b", "first"), Result(run.Id, "c", "first", TrialStatus.Pass)], None);
        Assert.Equal([new TrialKey(run.ReleaseId, "b", 0), new TrialKey(run.ReleaseId, "c", 0)], (await Store.EvalRuns.CompletedAsync(run.Id, None)).OrderBy(k => k.CaseId));

        await Store.EvalRuns.SaveResultsAsync([Result(run.Id, "a", "again", TrialStatus.Pass), Result(run.Id, "b", "again", TrialStatus.Pass), Result(run.Id, "c", "again")], None);

        var back = await Store.EvalRuns.ReadResultsAsync(run.Id, notPassedOnly: false, None).Select(r => (r.CaseId, r.Output, r.Status)).ToListAsync();
        Assert.Equal([("a", "again", TrialStatus.Pass), ("b", "first", TrialStatus.Fail), ("c", "first", TrialStatus.Pass)], back);
        Assert.Equal(3, (await Store.EvalRuns.CompletedAsync(run.Id, None)).Count);
    }

    // Trial gate1000 HIGH-1: whether an error is one a resume is expected to fix (a provider outage) is kept with it, so a
    // gate read back from the store does not list an outage's cases as cases a resume will not fix.
    [Fact]
    public async Task SaveResultsAsync_TransientError_ReadBackAsTransient_AndAnErrorInItsPlaceKeepsItsOwn()
    {
        var run = Run("20260101-000000-7a45", 3);
        await Store.EvalRuns.CreateAsync(run, None);
        await Store.EvalRuns.SaveResultsAsync(
        [
            Result(run.Id, "a", "", TrialStatus.Error) with { Error = "connection refused", TransientError = true },
            Result(run.Id, "b", "", TrialStatus.Error) with { Error = "provider answered 400", TransientError = false },
            Result(run.Id, "c", "", TrialStatus.Error) with { Error = "connection refused", TransientError = true },
        ], None);
        Assert.Equal([("a", true), ("b", false), ("c", true)], await Store.EvalRuns.ReadResultsAsync(run.Id, notPassedOnly: false, None).Select(r => (r.CaseId, r.TransientError)).ToListAsync());

        await Store.EvalRuns.SaveResultsAsync([Result(run.Id, "a", "", TrialStatus.Error) with { Error = "provider answered 400", TransientError = false }, Result(run.Id, "c", "again", TrialStatus.Pass)], None);

        Assert.Equal([("a", TrialStatus.Error, false), ("b", TrialStatus.Error, false), ("c", TrialStatus.Pass, false)],
            await Store.EvalRuns.ReadResultsAsync(run.Id, notPassedOnly: false, None).Select(r => (r.CaseId, r.Status, r.TransientError)).ToListAsync());
    }

    [Fact]
    public async Task ReadResultsAsync_NotPassedOnly_FailuresThenErrorsEachByCaseIdOrdinal_AllInSavedOrder()
    {
        var run = Run("20260101-000000-0rd0", 6);
        await Store.EvalRuns.CreateAsync(run, None);
        await Store.EvalRuns.SaveResultsAsync(
        [
            Result(run.Id, "b", status: TrialStatus.Error), Result(run.Id, "Z"), Result(run.Id, "a", status: TrialStatus.Pass),
            Result(run.Id, "c"), Result(run.Id, "a-err", status: TrialStatus.Error), Result(run.Id, "B"),
        ], None);

        var notPassed = await Store.EvalRuns.ReadResultsAsync(run.Id, notPassedOnly: true, None).Select(r => r.CaseId).ToListAsync();
        var all = await Store.EvalRuns.ReadResultsAsync(run.Id, notPassedOnly: false, None).Select(r => r.CaseId).ToListAsync();

        Assert.Equal(["B", "Z", "c", "a-err", "b"], notPassed);
        Assert.Equal(["b", "Z", "a", "c", "a-err", "B"], all);
        Assert.Equal(all, (await Store.EvalRuns.ResultsAsync(run.Id, None)).Select(r => r.CaseId));
    }

    [Fact]
    public async Task SetStatusAsync_Finished_ReadBackWithItsTime()
    {
        await Store.EvalRuns.CreateAsync(Run("r1", 1), None);

        await Store.EvalRuns.SetStatusAsync("r1", EvalRunStatus.Finished, DateTimeOffset.UnixEpoch.AddHours(1), None);

        var run = Assert.Single(await Store.EvalRuns.ListAsync("app", 10, None));
        Assert.Equal((EvalRunStatus.Finished, DateTimeOffset.UnixEpoch.AddHours(1)), (run.Status, run.FinishedAt));
    }

    [Fact]
    public async Task GetAsync_AmbiguousPrefix_ReturnsNothing_UnknownId_Nothing()
    {
        await Store.EvalRuns.CreateAsync(Run("20260101-000000-0001", 1), None);
        await Store.EvalRuns.CreateAsync(Run("20260101-000000-0002", 1), None);

        Assert.Null(await Store.EvalRuns.GetAsync("app", "20260101-000000-000", None));
        Assert.Null(await Store.EvalRuns.GetAsync("app", "20270101", None));
    }

    [Fact]
    public async Task GetAsync_ExactIdThatPrefixesNewerRuns_ReturnsThatRun()
    {
        await Store.EvalRuns.CreateAsync(Run("run-1", 1, at: DateTimeOffset.UnixEpoch), None);
        await Store.EvalRuns.CreateAsync(Run("run-10", 1, at: DateTimeOffset.UnixEpoch.AddDays(1)), None);
        await Store.EvalRuns.CreateAsync(Run("run-11", 1, at: DateTimeOffset.UnixEpoch.AddDays(2)), None);

        Assert.Equal("run-1", (await Store.EvalRuns.GetAsync("app", "run-1", None))!.Id);
    }

    [Fact]
    public async Task ListAsync_NewestFirst_UpToTheLimit()
    {
        await Store.EvalRuns.CreateAsync(Run("old", 1, at: DateTimeOffset.UnixEpoch), None);
        await Store.EvalRuns.CreateAsync(Run("new", 1, at: DateTimeOffset.UnixEpoch.AddDays(2)), None);
        await Store.EvalRuns.CreateAsync(Run("mid", 1, at: DateTimeOffset.UnixEpoch.AddDays(1)), None);

        Assert.Equal(["new", "mid"], (await Store.EvalRuns.ListAsync("app", 2, None)).Select(r => r.Id));
        Assert.Empty(await Store.EvalRuns.ListAsync("other", 10, None));
    }

    [Fact]
    public async Task CreateAsync_SameIdTwice_RefusedAndTheFirstKept()
    {
        await Store.EvalRuns.CreateAsync(Run("r1", 3), None);

        await StoreAssert.RefusedAsync(() => Store.EvalRuns.CreateAsync(Run("r1", 9), None));

        Assert.Equal(3, (await Store.EvalRuns.GetAsync("app", "r1", None))!.CaseCount);
    }

    [Fact]
    public async Task SaveResultsAsync_ResultOfAnUnknownRun_RefusesTheWholeBatch()
    {
        await Store.EvalRuns.CreateAsync(Run("r1", 2), None);

        await StoreAssert.RefusedAsync(() => Store.EvalRuns.SaveResultsAsync([Result("r1", "c1"), Result("nope", "c2")], None));

        Assert.Empty(await Store.EvalRuns.ResultsAsync("r1", None));
        Assert.Empty(await Store.EvalRuns.CompletedAsync("r1", None));
    }

    // The judge's spend is the run's (trial gatejudge2 M2/M3): added to per release and judge as results are saved, whatever
    // becomes of them, so a resume starts max_spend_usd from all of it and the run's judge figures show all of it.
    [Fact]
    public async Task AddJudgeSpendAsync_AddsPerReleaseAndJudge_ExactDecimals_DearestKept_ReadBackWithTheRun()
    {
        var (a, b) = (new string('a', 64), new string('b', 64));
        await Store.EvalRuns.CreateAsync(Run("r1", 1) with { JudgeSpend = [] }, None);
        await Store.EvalRuns.CreateAsync(Run("r2", 1) with { JudgeSpend = [] }, None);

        await Store.EvalRuns.AddJudgeSpendAsync("r1", [new JudgeSpend(a, "llm_judge") { Calls = 2, CostUsd = 0.1m, DearestUsd = 0.06m }, new JudgeSpend(b, "llm_judge") { Calls = 1, CostUsd = null }], None);
        await Store.EvalRuns.AddJudgeSpendAsync("r1", [new JudgeSpend(a, "llm_judge") { Calls = 1, CostUsd = 0.2m, DearestUsd = 0.05m }, new JudgeSpend(a, "llm_judge#2") { Calls = 0, CostUsd = 0.000001m, DearestUsd = 0.000001m }], None);
        await Store.EvalRuns.AddJudgeSpendAsync("r1", [], None);

        var run = await Store.EvalRuns.GetAsync("app", "r1", None);
        Assert.Equal(
            [new JudgeSpend(a, "llm_judge") { Calls = 3, CostUsd = 0.3m, DearestUsd = 0.06m }, new JudgeSpend(b, "llm_judge") { Calls = 1, CostUsd = null }, new JudgeSpend(a, "llm_judge#2") { Calls = 0, CostUsd = 0.000001m, DearestUsd = 0.000001m }],
            run!.JudgeSpend!); // in the order first added; 0.1 + 0.2 is 0.3 exactly, not 0.30000000000000004
        Assert.Empty((await Store.EvalRuns.GetAsync("app", "r2", None))!.JudgeSpend!);
        Assert.Equal(run.JudgeSpend, (await Store.EvalRuns.ListAsync("app", 10, None)).Single(r => r.Id == "r1").JudgeSpend);
    }

    // A run stored before the spend was kept reads back with none (null, not nothing spent): its spend is then its results'.
    [Fact]
    public async Task AddJudgeSpendAsync_RunWithNoneRecorded_NullUntilAdded_ThenWhatWasAdded()
    {
        await Store.EvalRuns.CreateAsync(Run("r1", 1), None);
        Assert.Null((await Store.EvalRuns.GetAsync("app", "r1", None))!.JudgeSpend);

        await Store.EvalRuns.AddJudgeSpendAsync("r1", [new JudgeSpend(new string('a', 64), "llm_judge") { Calls = 1, CostUsd = 0.006m, DearestUsd = 0.006m }], None);

        var spend = Assert.Single((await Store.EvalRuns.GetAsync("app", "r1", None))!.JudgeSpend!);
        Assert.Equal((1, 0.006m, 0.006m), (spend.Calls, spend.CostUsd, spend.DearestUsd));
    }

    [Fact]
    public async Task AddJudgeSpendAsync_UnknownRun_RefusedAndNothingWritten()
    {
        await Store.EvalRuns.CreateAsync(Run("r1", 1) with { JudgeSpend = [] }, None);

        await StoreAssert.RefusedAsync(() => Store.EvalRuns.AddJudgeSpendAsync("nope", [new JudgeSpend(new string('a', 64), "llm_judge") { Calls = 1 }], None));

        Assert.Empty((await Store.EvalRuns.GetAsync("app", "r1", None))!.JudgeSpend!);
        Assert.Null(await Store.EvalRuns.GetAsync("app", "nope", None));
    }

    // Two processes of one run adding at once (a resume started while another still saves): both counts are kept.
    [Fact]
    public async Task AddJudgeSpendAsync_ConcurrentAdds_EveryOneCounted()
    {
        await Store.EvalRuns.CreateAsync(Run("r1", 1) with { JudgeSpend = [] }, None);
        var one = new JudgeSpend(new string('a', 64), "llm_judge") { Calls = 1, CostUsd = 0.001m, DearestUsd = 0.001m };

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.EvalRuns.AddJudgeSpendAsync("r1", [one], None))));

        var spend = Assert.Single((await Store.EvalRuns.GetAsync("app", "r1", None))!.JudgeSpend!);
        Assert.Equal((20, 0.02m), (spend.Calls, spend.CostUsd));
    }
}
