using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Glidepath.Storage.Contract.Tests.Support;
using Microsoft.Extensions.AI;

namespace Glidepath.Storage.Contract.Tests.Contracts;

/// <summary>The eval runner on a store: results are saved as they finish, so a cancelled run resumes where it stopped.</summary>
public abstract class EvalRunnerContract(IStoreFactory factory) : StoreContract(factory)
{
    private static List<EvalCase> Cases(int n) => Enumerable.Range(0, n)
        .Select(i => new EvalCase { Id = $"case-{i:000}", Messages = [new ChatMessage(ChatRole.User, $"question {i}")], Expect = new() { ["contains"] = "ok" } })
        .ToList();

    private static ScorerSet Scorers() => ScorerSet.Build([new ScorerSpec { Type = "contains" }], ScorerRegistry.CreateDefault(), new ScorerBuildContext { ReadFile = _ => [] });

    [Fact]
    public async Task RunAsync_CancelledMidwayThenResumed_RunsEveryCaseTrialExactlyOnce()
    {
        var run = EvalRunStoreContract.Run("20260101-000000-0001", 200);
        await Store.EvalRuns.CreateAsync(run, None);
        var cases = Cases(200);
        var target = new CountingTarget(run.ReleaseId);
        using var scorers = Scorers();
        using var cts = new CancellationTokenSource();
        var first = new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System)
        {
            Progress = p =>
            {
                if (p.Completed >= 80)
                {
                    cts.Cancel();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync(run, cases.ToAsyncEnumerable(), [target], cts.Token));
        var saved = await Store.EvalRuns.CompletedAsync(run.Id, None);
        Assert.InRange(saved.Count, 80, 199);
        Assert.Equal(target.Completed.Count, saved.Count);

        var second = new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System);
        var summary = Assert.Single(await second.RunAsync(run, cases.ToAsyncEnumerable(), [target], None));

        var results = await Store.EvalRuns.ResultsAsync(run.Id, None);
        Assert.Equal(200, results.Count);
        Assert.Equal((200, 200, 200), (summary.Cases, summary.Trials, summary.Passed)); // the results saved before the resume count too
        Assert.Equal(200, target.Completed.Count);
        Assert.All(target.Completed.Values, n => Assert.Equal(1, n));
        Assert.All(results, r => Assert.Equal(TrialStatus.Pass, r.Status));
    }

    [Fact]
    public async Task RunAsync_CasesFailToReadMidway_ThrowsThatFailureAndKeepsWhatFinished()
    {
        var run = EvalRunStoreContract.Run("20260101-000000-0004", 10, concurrency: 1);
        await Store.EvalRuns.CreateAsync(run, None);
        var target = new CountingTarget(run.ReleaseId);
        using var scorers = Scorers();

        var ex = await Assert.ThrowsAsync<Errors.BadInputException>(() =>
            new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, FailAfter(Cases(10), 4), [target], None));

        Assert.Equal("cases.jsonl changed", ex.Message);
        Assert.Equal(4, (await Store.EvalRuns.ResultsAsync(run.Id, None)).Count);
    }

    /// <summary>The first <paramref name="count"/> cases, then a read failure (a dataset that changed under the run).</summary>
    private static async IAsyncEnumerable<EvalCase> FailAfter(List<EvalCase> cases, int count)
    {
        foreach (var c in cases.Take(count))
        {
            await Task.Yield();
            yield return c;
        }

        throw new Errors.BadInputException("cases.jsonl changed");
    }

    [Fact]
    public async Task RunAsync_TwoTargets_InterleavesCaseByCase()
    {
        var run = EvalRunStoreContract.Run("20260101-000000-0002", 3, concurrency: 1) with { BaselineReleaseId = new string('b', 64) };
        await Store.EvalRuns.CreateAsync(run, None);
        var baseline = new CountingTarget(run.BaselineReleaseId!);
        var candidate = new CountingTarget(run.ReleaseId);
        var order = new ConcurrentQueue<string>();
        baseline.OnCall = c => order.Enqueue("b:" + c);
        candidate.OnCall = c => order.Enqueue("c:" + c);
        using var scorers = Scorers();

        await new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(3).ToAsyncEnumerable(), [baseline, candidate], None);

        Assert.Equal(["b:case-000", "c:case-000", "b:case-001", "c:case-001", "b:case-002", "c:case-002"], order);
    }

    [Fact]
    public async Task RunAsync_TargetThrows_RecordsAnErrorResultWithTheMessage()
    {
        var run = EvalRunStoreContract.Run("20260101-000000-0003", 2);
        await Store.EvalRuns.CreateAsync(run, None);
        var target = new CountingTarget(run.ReleaseId) { Fail = true };
        using var scorers = Scorers();

        await new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(2).ToAsyncEnumerable(), [target], None);

        var results = await Store.EvalRuns.ResultsAsync(run.Id, None);
        Assert.Equal(2, results.Count);
        Assert.All(results, r =>
        {
            Assert.Equal(TrialStatus.Error, r.Status);
            Assert.Contains("500", r.Error, StringComparison.Ordinal);
        });
    }

    // Outside trial (author #2): errors saved by a run (a judge that timed out) were skipped by --resume, so the run could
    // only end in exit 3 after the cause was fixed. Resumed, the errored trials run again and their results replace the errors.
    [Fact]
    public async Task RunAsync_ResumedAfterErrors_RunsTheErroredTrialsAgainAndCountsTheirNewResults()
    {
        var run = EvalRunStoreContract.Run("20260101-000000-0005", 4);
        await Store.EvalRuns.CreateAsync(run, None);
        var target = new CountingTarget(run.ReleaseId) { Fail = true };
        using var scorers = Scorers();
        await new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(4).ToAsyncEnumerable(), [target], None);
        Assert.Empty(await Store.EvalRuns.CompletedAsync(run.Id, None));

        target.Fail = false;
        var summary = Assert.Single(await new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(4).ToAsyncEnumerable(), [target], None));

        Assert.Equal((4, 4, 0), (summary.Trials, summary.Passed, summary.Errors));
        var results = await Store.EvalRuns.ResultsAsync(run.Id, None);
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.Equal(TrialStatus.Pass, r.Status));
        Assert.All(target.Completed.Values, n => Assert.Equal(1, n));
    }

    // A judge call under max_spend_usd cut off by Ctrl-C was counted by the cap of the process that made it only: its trial is
    // not saved (a resume asks it again), so the run's stored spend never had it, and a resume's cap started without it. The
    // call is stored as unanswered spend, at the dearest call known, as a call that timed out is.
    [Fact]
    public async Task RunAsync_StoppedDuringAJudgeCallUnderACap_TheCallIsInTheRunsStoredSpendAsUnanswered_ItsTrialNotSaved()
    {
        var run = EvalRunStoreContract.Run("20260101-000000-0006", 3, concurrency: 1) with { JudgeSpend = [] };
        await Store.EvalRuns.CreateAsync(run, None);
        using var stop = new CancellationTokenSource();
        var judge = new StoppingJudge(stop, answered: 1);
        using var scorers = ScorerSet.Build(
            [new ScorerSpec { Type = "llm_judge", Options = new Dictionary<string, JsonNode?> { ["rubric"] = "rubric.md", ["model"] = new JsonObject { ["provider"] = "openai", ["name"] = "judge-1" }, ["max_spend_usd"] = 1.0 } }],
            ScorerRegistry.CreateDefault(),
            new ScorerBuildContext { ReadFile = _ => "Score 1 when correct."u8.ToArray(), JudgeClient = (_, _) => judge, Cost = (_, _) => 0.002 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new EvalRunner(Store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, Cases(3).ToAsyncEnumerable(), [new CountingTarget(run.ReleaseId)], stop.Token));

        var spend = Assert.Single((await Store.EvalRuns.GetAsync("app", run.Id, None))!.JudgeSpend!);
        Assert.Equal((run.ReleaseId, "llm_judge", 1, 1, 0.002m), (spend.ReleaseId, spend.Scorer, spend.Calls, spend.UnansweredCalls, spend.UnansweredUsd));
        Assert.Equal(["case-000"], (await Store.EvalRuns.ResultsAsync(run.Id, None)).Select(r => r.CaseId)); // the cut-off trial is asked again on resume
    }

    /// <summary>A judge that answers <paramref name="answered"/> calls, then stops the run in the next one (Ctrl-C during the call).</summary>
    private sealed class StoppingJudge(CancellationTokenSource stop, int answered) : IChatClient
    {
        private int _calls;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) > answered)
            {
                await stop.CancelAsync();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "{\"score\": 1}"));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class CountingTarget(string releaseId) : IEvalTarget
    {
        public ConcurrentDictionary<string, int> Completed { get; } = new();

        public bool Fail { get; set; }

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
