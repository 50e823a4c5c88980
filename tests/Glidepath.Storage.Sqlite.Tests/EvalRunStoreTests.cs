using System.Collections.Concurrent;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Storage.Sqlite.Tests;

public sealed class EvalRunStoreTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "glidepath-evalruns-" + Guid.NewGuid().ToString("N"));
    private SqliteStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteStore.OpenAsync(Path.Combine(_dir, "g.db"), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static EvalRun Run(string id, int cases, int concurrency = 16) => new()
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
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static List<EvalCase> Cases(int n) => Enumerable.Range(0, n)
        .Select(i => new EvalCase { Id = $"case-{i:000}", Messages = [new ChatMessage(ChatRole.User, $"question {i}")], Expect = new() { ["contains"] = "ok" } })
        .ToList();

    private static ScorerSet Scorers() => ScorerSet.Build([new ScorerSpec { Type = "contains" }], ScorerRegistry.CreateDefault(), new ScorerBuildContext { ReadFile = _ => [] });

    [Fact]
    public async Task RunAsync_CancelledMidwayThenResumed_RunsEveryCaseTrialExactlyOnce()
    {
        var run = Run("20260101-000000-0001", 200);
        await _store.EvalRuns.CreateAsync(run, CancellationToken.None);
        var cases = Cases(200);
        var target = new CountingTarget(run.ReleaseId);
        using var scorers = Scorers();
        using var cts = new CancellationTokenSource();
        var first = new EvalRunner(_store.EvalRuns, scorers, TimeProvider.System)
        {
            Progress = p =>
            {
                if (p.Completed >= 80)
                {
                    cts.Cancel();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(run, cases, [target], cts.Token));
        var saved = await _store.EvalRuns.CompletedAsync(run.Id, CancellationToken.None);
        Assert.InRange(saved.Count, 80, 199);
        Assert.Equal(target.Completed.Count, saved.Count);

        var second = new EvalRunner(_store.EvalRuns, scorers, TimeProvider.System);
        await second.RunAsync(run, cases, [target], CancellationToken.None);

        var results = await _store.EvalRuns.ResultsAsync(run.Id, CancellationToken.None);
        Assert.Equal(200, results.Count);
        Assert.Equal(200, target.Completed.Count);
        Assert.All(target.Completed.Values, n => Assert.Equal(1, n));
        Assert.All(results, r => Assert.Equal(TrialStatus.Pass, r.Status));
    }

    [Fact]
    public async Task RunAsync_TwoTargets_InterleavesCaseByCase()
    {
        var run = Run("20260101-000000-0002", 3, concurrency: 1) with { BaselineReleaseId = new string('b', 64) };
        await _store.EvalRuns.CreateAsync(run, CancellationToken.None);
        var baseline = new CountingTarget(run.BaselineReleaseId!);
        var candidate = new CountingTarget(run.ReleaseId);
        var order = new ConcurrentQueue<string>();
        baseline.OnCall = c => order.Enqueue("b:" + c);
        candidate.OnCall = c => order.Enqueue("c:" + c);
        using var scorers = Scorers();
        await new EvalRunner(_store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(3), [baseline, candidate], CancellationToken.None);
        Assert.Equal(["b:case-000", "c:case-000", "b:case-001", "c:case-001", "b:case-002", "c:case-002"], order);
    }

    [Fact]
    public async Task RunAsync_TargetThrows_RecordsAnErrorResultWithTheMessage()
    {
        var run = Run("20260101-000000-0003", 2);
        await _store.EvalRuns.CreateAsync(run, CancellationToken.None);
        var target = new CountingTarget(run.ReleaseId) { Fail = true };
        using var scorers = Scorers();
        await new EvalRunner(_store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(2), [target], CancellationToken.None);
        var results = await _store.EvalRuns.ResultsAsync(run.Id, CancellationToken.None);
        Assert.All(results, r =>
        {
            Assert.Equal(TrialStatus.Error, r.Status);
            Assert.Contains("500", r.Error, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Store_RunsAndResults_RoundTripWithPrefixLookupAndFirstWriteWins()
    {
        var run = Run("20260101-000000-abcd", 1);
        await _store.EvalRuns.CreateAsync(run, CancellationToken.None);
        Assert.Equal(run.Id, (await _store.EvalRuns.GetAsync("app", "20260101-000000-ab", CancellationToken.None))!.Id);
        Assert.Null(await _store.EvalRuns.GetAsync("other", run.Id, CancellationToken.None));
        var result = new TrialResult
        {
            RunId = run.Id,
            ReleaseId = run.ReleaseId,
            CaseId = "c",
            Trial = 0,
            Status = TrialStatus.Fail,
            Score = 0.5,
            Output = "answer",
            ToolCalls = ["lookup_order({})"],
            LatencyMs = 12.5,
            CostUsd = 0.01,
            Scores = [new ScoreOutcome { Scorer = "contains", Score = 0.5, Passed = false, Reason = "missing: \"x\"" }],
            FinishedAt = DateTimeOffset.UnixEpoch,
        };
        await _store.EvalRuns.SaveResultsAsync([result], CancellationToken.None);
        await _store.EvalRuns.SaveResultsAsync([result with { Status = TrialStatus.Pass, Output = "second" }], CancellationToken.None);
        var back = Assert.Single(await _store.EvalRuns.ResultsAsync(run.Id, CancellationToken.None));
        Assert.Equal("answer", back.Output);
        Assert.Equal(TrialStatus.Fail, back.Status);
        Assert.Equal("missing: \"x\"", Assert.Single(back.Scores).Reason);
        Assert.Equal(["lookup_order({})"], back.ToolCalls);
        await _store.EvalRuns.SetStatusAsync(run.Id, EvalRunStatus.Finished, DateTimeOffset.UnixEpoch, CancellationToken.None);
        Assert.Equal(EvalRunStatus.Finished, (await _store.EvalRuns.ListAsync("app", 10, CancellationToken.None))[0].Status);
    }

    private sealed class CountingTarget(string releaseId) : IEvalTarget
    {
        public ConcurrentDictionary<string, int> Completed { get; } = new();

        public bool Fail { get; init; }

        public Action<string>? OnCall { get; set; }

        public string ReleaseId => releaseId;

        public async Task<TargetResponse> InvokeAsync(EvalCase evalCase, int trial, CancellationToken cancellationToken)
        {
            OnCall?.Invoke(evalCase.Id);
            await Task.Delay(2, cancellationToken);
            if (Fail)
            {
                throw new HttpRequestException("provider answered 500 Internal Server Error");
            }

            Completed.AddOrUpdate($"{evalCase.Id}#{trial}", 1, (_, n) => n + 1);
            var messages = evalCase.Messages.ToList();
            return new TargetResponse(messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok")), 2, null);
        }
    }
}
