using Glidepath.Evals.Scorers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;
using static Glidepath.Tests.Evals.Scorers.ScorerTestKit;

namespace Glidepath.Tests.Evals.Scorers;

public sealed class JudgeAndCustomEvaluatorTests
{
    [Theory]
    [InlineData("{\"score\": 0.8, \"reason\": \"fine\"}", 0.8)]
    [InlineData("Sure! ```json\n{\"score\": \"0.25\"}\n``` hope that helps", 0.25)]
    [InlineData("0.9", 0.9)]
    [InlineData("Score: 1", 1.0)]
    [InlineData("4/5", 0.8)]
    [InlineData("Score: 4/5. {\"score\": 0.8, \"reason\": \"mostly right\"}", 0.8)]
    public void TryParse_ReadableAnswers_GiveTheScore(string answer, double expected)
    {
        Assert.True(JudgeScoreParser.TryParse(answer, out var score, out _, out var error), error);
        Assert.Equal(expected, score, 9);
    }

    [Theory]
    [InlineData("")]
    [InlineData("It is pretty good.")]
    [InlineData("{\"score\": \"high\"}")]
    [InlineData("{\"score\": 7}")]
    [InlineData("I'd say 0.8 or 0.9")]
    public void TryParse_UnreadableOrOutOfRange_Fails(string answer) =>
        Assert.False(JudgeScoreParser.TryParse(answer, out _, out _, out _));

    // Read as 0.9, a pass, although the judge first said 0.2: which score it meant is not the parser's to pick.
    [Theory]
    [InlineData("Score: 0.2 because it misses the policy... actually {\"score\": 0.9, \"reason\": \"ok\"}", "0.9 and 0.2")]
    [InlineData("{\"score\": 0.9, \"reason\": \"first try\"} {\"score\": 0.3, \"reason\": \"second\"}", "0.9 and 0.3")]
    [InlineData("**Score:** 1/5\n{\"score\": 1}", "1 and 0.2")]
    public void TryParse_AnswerStatingTwoDifferentScores_FailsNamingBoth(string answer, string both)
    {
        Assert.False(JudgeScoreParser.TryParse(answer, out _, out _, out var error));
        Assert.StartsWith($"the judge's answer states two different scores ({both})", error, StringComparison.Ordinal);
    }

    // Trial gatejudge2 LOW 1: a key given twice threw ArgumentException ("An item with the same key has already been added"),
    // which the gate showed as "the scorer threw ArgumentException" for both answers below.
    [Fact]
    public void TryParse_ScoreKeyTwiceWithTwoValues_FailsNamingBoth()
    {
        Assert.False(JudgeScoreParser.TryParse("{\"score\": 0.9, \"score\": 0.1}", out _, out _, out var error));
        Assert.StartsWith("the judge's answer states two different scores (0.9 and 0.1)", error, StringComparison.Ordinal);
        Assert.False(JudgeScoreParser.TryParse("{\"score\": 0.9, \"score\": \"high\"}", out _, out _, out error));
        Assert.Equal("the judge's \"score\" is not a number: \"high\"", error);
    }

    [Theory]
    [InlineData("{\"score\": 0.9, \"score\": 0.9, \"reason\": \"dup same\"}")]
    [InlineData("```json\n{\"score\": 0.9, \"reason\": \"dup same\", \"score\": \"0.9\", \"reason\": \"again\"}\n```")]
    public void TryParse_SameScoreKeyTwice_ReadsOneScore(string answer)
    {
        Assert.True(JudgeScoreParser.TryParse(answer, out var score, out var reason, out var error), error);
        Assert.Equal(0.9, score, 9);
        Assert.Equal("dup same", reason);
    }

    [Fact]
    public async Task LlmJudge_AnswerWithTheScoreKeyTwice_IsAJudgeErrorNotAnException()
    {
        using var set = Set(_ => new JudgeClient(_ => "{\"score\": 0.9, \"score\": 0.1}"),
            Spec("llm_judge", """{"rubric":"rubric.md","model":{"provider":"openai","name":"judge-1"},"pass":0.7}"""));
        var outcome = Assert.Single(await set.ScoreAsync(Case().Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), Case(), 10, null, CancellationToken.None));
        Assert.False(outcome.Passed);
        Assert.StartsWith("judge openai/judge-1: the judge's answer states two different scores (0.9 and 0.1)", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlmJudge_ParsedScore_RecordsJudgeModelAndRubricHash()
    {
        IReadOnlyList<ChatMessage>? seen = null;
        using var set = Set(_ => new JudgeClient(m => { seen = m; return "{\"score\": 0.9, \"reason\": \"correct\"}"; }),
            Spec("llm_judge", """{"rubric":"rubric.md","model":{"provider":"sim","name":"judge-1"},"pass":0.7}"""));
        var outcomes = await set.ScoreAsync(Case().Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "Within 30 days.")), Case(), 10, null, CancellationToken.None);
        var o = Assert.Single(outcomes);
        Assert.True(o.Passed);
        Assert.Equal("sim/judge-1", o.Metadata!["judge.model"]);
        Assert.Equal(64, o.Metadata["judge.rubric_sha256"].Length);
        Assert.Contains("Score 1 when correct.", seen![1].Text, StringComparison.Ordinal);
        Assert.Contains("Within 30 days.", seen[1].Text, StringComparison.Ordinal);
        Assert.Equal("sim/judge-1", Assert.Single(set.Judges).Model);
    }

    // Claude models after Opus 4.6 reject any temperature (a 400): a judge there sends none; elsewhere 0.
    // The judge model's own parameters.temperature wins.
    [Theory]
    [InlineData("openai", "", 0f)]
    [InlineData("sim", "", 0f)]
    [InlineData("anthropic", "", null)]
    [InlineData("anthropic", ",\"parameters\":{\"temperature\":0}", 0f)]
    [InlineData("openai", ",\"parameters\":{\"temperature\":0.5}", 0.5f)]
    public async Task LlmJudge_AsksForTemperatureZero_ExceptOnAnthropic(string provider, string parameters, float? expected)
    {
        ChatOptions? sent = null;
        using var set = Set(_ => new JudgeClient(_ => "{\"score\": 1}", o => sent = o),
            Spec("llm_judge", $$$"""{"rubric":"rubric.md","model":{"provider":"{{{provider}}}","name":"j"{{{parameters}}}}}"""));
        await set.ScoreAsync(Case().Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), Case(), 10, null, CancellationToken.None);
        Assert.NotNull(sent);
        Assert.Equal(expected, sent.Temperature);
    }

    // Trial author D4: the limit read "$1E-07".
    [Fact]
    public async Task LlmJudge_SpendLimitReached_IsAnErrorNamingTheLimitAsAPlainDecimal()
    {
        using var judge = new LlmJudgeScorer("llm_judge", new JudgeClient(_ => "{\"score\": 1}"), new JudgeIdentity("openai/j", "00"), "Score 1 when correct.", 0.7, 1,
            cost: _ => 0.001, maxSpendUsd: 0.0000001);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
        Assert.True(Assert.Single(ScoreReader.Read("llm_judge", 1, await judge.EvaluateAsync(Case().Messages, response))).Passed);

        var second = Assert.Single(ScoreReader.Read("llm_judge", 1, await judge.EvaluateAsync(Case().Messages, response)));

        Assert.Equal("the judge's spend limit of $0.0000001 is reached: $0.001 is spent; raise max_spend_usd and resume the run, or use fewer cases", second.Error);
    }

    // Trial gatejudge3 M2: the cap counts a call that got no answer at the dearest call known; the error keeps that estimate,
    // so the run's stored spend adds it and a resume starts from it.
    [Fact]
    public async Task LlmJudge_CallWithNoAnswerUnderACap_TheErrorKeepsWhatTheCapCountedItAt()
    {
        var calls = 0;
        using var judge = new LlmJudgeScorer("llm_judge", new JudgeClient(_ => Interlocked.Increment(ref calls) == 1 ? "{\"score\": 1}" : throw new TimeoutException("no response within 3 s")),
            new JudgeIdentity("openai/j", "00"), "Score 1 when correct.", 0.7, 1, cost: _ => 0.0015, maxSpendUsd: 1.0);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
        Assert.True(Assert.Single(ScoreReader.Read("llm_judge", 1, await judge.EvaluateAsync(Case().Messages, response))).Passed);

        var timedOut = Assert.Single(ScoreReader.Read("llm_judge", 1, await judge.EvaluateAsync(Case().Messages, response)));

        Assert.StartsWith("the judge openai/j failed: no response within 3 s", timedOut.Error, StringComparison.Ordinal);
        Assert.True(JudgeUsage.TryReadUnanswered(timedOut.Metadata, out var estimate));
        Assert.Equal(0.0015m, estimate);
        Assert.False(JudgeUsage.TryRead(timedOut.Metadata, out _, out _)); // not an answer: in neither judge_calls nor judge_cost_usd
    }

    // A call cut off by the run's stop (Ctrl-C) under a cap: a cancellation (its trial is not saved), which says what the cap
    // counted the call at and for which judge, so the run stores it as unanswered spend. Without a cap it is a plain one.
    [Fact]
    public async Task LlmJudge_CallCutOffByTheStopUnderACap_IsACancellationSayingWhatTheCapCountedIt()
    {
        using var stop = new CancellationTokenSource();
        var calls = 0;
        var client = new JudgeClient(_ =>
        {
            if (Interlocked.Increment(ref calls) > 1)
            {
                stop.Cancel();
                stop.Token.ThrowIfCancellationRequested();
            }

            return "{\"score\": 1}";
        });
        using var judge = new LlmJudgeScorer("llm_judge#2", client, new JudgeIdentity("openai/j", "00"), "Score 1 when correct.", 0.7, 1, cost: _ => 0.0015, maxSpendUsd: 1.0);
        using var uncapped = new LlmJudgeScorer("llm_judge", client, new JudgeIdentity("openai/j", "00"), "Score 1 when correct.", 0.7, 1);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
        Assert.True(Assert.Single(ScoreReader.Read("llm_judge#2", 1, await judge.EvaluateAsync(Case().Messages, response, cancellationToken: stop.Token))).Passed);

        var cut = await Assert.ThrowsAsync<JudgeCallStoppedException>(() => judge.EvaluateAsync(Case().Messages, response, cancellationToken: stop.Token).AsTask());
        var plain = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => uncapped.EvaluateAsync(Case().Messages, response, cancellationToken: stop.Token).AsTask());

        Assert.Equal(("llm_judge#2", 0.0015m, stop.Token), (cut.Scorer, cut.UnansweredUsd, cut.CancellationToken));
        Assert.IsNotType<JudgeCallStoppedException>(plain);
    }

    // Eight trials at once against a cap of $1 and calls of $0.40: the cap was checked before each call, so all eight
    // started ($3.20 spent). Now the first call goes alone, then a call starts only if the spend plus the calls in flight
    // (each at the dearest call so far) stays within the cap: two calls, $0.80, and six errors naming the limit.
    [Fact]
    public async Task LlmJudge_SpendLimit_HoldsAcrossConcurrentCalls()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var client = new BlockingJudgeClient(release.Task, () => Interlocked.Increment(ref calls));
        using var judge = new LlmJudgeScorer("llm_judge", client, new JudgeIdentity("openai/j", "00"), "Score 1 when correct.", 0.7, maxConcurrency: 8,
            cost: _ => 0.4, maxSpendUsd: 1.0);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));

        var trials = Enumerable.Range(0, 8).Select(_ => judge.EvaluateAsync(Case().Messages, response).AsTask()).ToList();
        release.SetResult();
        var scores = (await Task.WhenAll(trials)).Select(r => Assert.Single(ScoreReader.Read("llm_judge", 1, r))).ToList();

        Assert.Equal(2, calls);
        Assert.Equal(2, scores.Count(s => s.Passed));
        Assert.All(scores.Where(s => !s.Passed), s => Assert.Equal(
            "the judge's spend limit of $1 is reached: $0.8 is spent and one call has cost up to $0.4; raise max_spend_usd and resume the run, or use fewer cases", s.Error));
    }

    // Review: a cost reader that threw left its call counted in flight, and the calls waiting for it waited forever.
    [Fact]
    public async Task LlmJudge_SpendLimitCostReaderThrows_TheOtherCallsStillEnd()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        using var judge = new LlmJudgeScorer("llm_judge", new BlockingJudgeClient(release.Task, () => Interlocked.Increment(ref calls)), new JudgeIdentity("openai/j", "00"),
            "Score 1 when correct.", 0.7, maxConcurrency: 4, cost: _ => throw new InvalidOperationException("no price"), maxSpendUsd: 1.0);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));

        var trials = Enumerable.Range(0, 4).Select(_ => judge.EvaluateAsync(Case().Messages, response).AsTask()).ToList();
        release.SetResult();
        var all = await Task.WhenAll(trials).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(4, calls);
        Assert.All(all, r => Assert.False(Assert.Single(ScoreReader.Read("llm_judge", 1, r)).Passed));
    }

    [Fact]
    public async Task LlmJudge_UnparseableAnswerOrThrowingJudge_IsAnErrorNeverAPass()
    {
        foreach (var judge in new Func<IReadOnlyList<ChatMessage>, string>[] { _ => "Looks good!", _ => throw new HttpRequestException("judge down") })
        {
            using var set = Set(_ => new JudgeClient(judge), Spec("llm_judge", """{"rubric":"rubric.md","model":{"provider":"sim","name":"j"}}"""));
            var outcomes = await set.ScoreAsync(Case().Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), Case(), 10, null, CancellationToken.None);
            var combined = CaseScore.Combine(outcomes);
            Assert.Equal(TrialStatus.Error, combined.Status);
            Assert.Null(combined.Score);
        }
    }

    // Trial ci D6: the simulated model answers a judge's prompt as a policy line; the error says the sim cannot judge.
    [Theory]
    [InlineData("sim", true)]
    [InlineData("openai", false)]
    public async Task LlmJudge_AnswerWithoutAScore_OnTheSimSaysTheSimCannotJudge(string provider, bool saysSim)
    {
        using var set = Set(_ => new JudgeClient(_ => "You grade an AI assistant's answer against a rubric."),
            Spec("llm_judge", $$$"""{"rubric":"rubric.md","model":{"provider":"{{{provider}}}","name":"j"}}"""));

        var outcome = Assert.Single(await set.ScoreAsync(Case().Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), Case(), 10, null, CancellationToken.None));

        Assert.Equal(TrialStatus.Error, CaseScore.Combine([outcome]).Status);
        Assert.Contains("cannot read a score", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(saysSim, outcome.Error!.Contains("the simulated model cannot act as a judge; point the judge at a real provider", StringComparison.Ordinal));
    }

    // Trial ci D7: a failing trial whose judge gave a reason showed only the reason; and "-0" printed as "judge score -0".
    [Theory]
    [InlineData("""{"score": 0.4, "reason": "misses the refund window"}""", 0.7, false, "judge score 0.40 < 0.70: misses the refund window")]
    [InlineData("""{"score": 0.9, "reason": "has a number"}""", 0.95, false, "judge score 0.90 < 0.95: has a number")]
    [InlineData("""{"score": 0.9, "reason": "fine"}""", 0.7, true, "judge score 0.90 ≥ 0.70: fine")]
    [InlineData("""{"score": 0.699, "reason": "close"}""", 0.7, false, "judge score 0.699 < 0.70: close")]
    [InlineData("""{"score": -0}""", 0.7, false, "judge score 0 (pass at 0.7)")]
    [InlineData("""{"score": -0, "reason": "nothing right"}""", 0.7, false, "judge score 0.00 < 0.70: nothing right")]
    public async Task LlmJudge_Reason_ShowsTheScoreAgainstThePassMark(string answer, double pass, bool passed, string reason)
    {
        using var set = Set(_ => new JudgeClient(_ => answer),
            Spec("llm_judge", """{"rubric":"rubric.md","model":{"provider":"openai","name":"j"},"pass":""" + pass.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}"));

        var outcome = Assert.Single(await set.ScoreAsync(Case().Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")), Case(), 10, null, CancellationToken.None));

        Assert.Equal((passed, reason), (outcome.Passed, outcome.Reason));
        Assert.False(double.IsNegative(outcome.Score!.Value));
    }

    [Fact]
    public async Task Registry_UserEvaluatorByTypeName_IsScoredAndFailClosed()
    {
        var registry = ScorerRegistry.CreateDefault().Register("polite", (_, _) => new PoliteEvaluator());
        using var set = ScorerSet.Build([Spec("polite")], registry, new ScorerBuildContext { ReadFile = _ => [] });
        var ok = await set.ScoreAsync([], new ChatResponse(new ChatMessage(ChatRole.Assistant, "Thank you!")), null, null, null, CancellationToken.None);
        Assert.True(Assert.Single(ok).Passed);
        var rude = await set.ScoreAsync([], new ChatResponse(new ChatMessage(ChatRole.Assistant, "No.")), null, null, null, CancellationToken.None);
        Assert.False(Assert.Single(rude).Passed);
        var broken = await set.ScoreAsync([], new ChatResponse(new ChatMessage(ChatRole.Assistant, "")), null, null, null, CancellationToken.None);
        Assert.NotNull(Assert.Single(broken).Error);
    }

    [Fact]
    public async Task ScorerSet_With_AddsAUserEvaluatorThroughTheLibraryApi()
    {
        using var baseSet = Set(Spec("contains", """{"values":["hi"]}"""));
        var set = baseSet.With("polite", new PoliteEvaluator(), weight: 2);
        var outcomes = await set.ScoreAsync([], new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi, thank you")), null, null, null, CancellationToken.None);
        Assert.Equal(["contains", "polite"], outcomes.Select(o => o.Scorer));
        Assert.NotEqual(baseSet.Version, set.Version);
    }

    private sealed class PoliteEvaluator : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["polite"];

        public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default)
        {
            if (modelResponse.Text.Length == 0)
            {
                var m = new BooleanMetric("polite");
                m.AddDiagnostics(EvaluationDiagnostic.Error("empty answer"));
                return ValueTask.FromResult(new EvaluationResult(m));
            }

            return ValueTask.FromResult(new EvaluationResult(new BooleanMetric("polite", modelResponse.Text.Contains("thank", StringComparison.OrdinalIgnoreCase))));
        }
    }

    private sealed class BlockingJudgeClient(Task release, Action onCall) : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            onCall();
            await release.ConfigureAwait(false);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "{\"score\": 1}"));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class JudgeClient(Func<IReadOnlyList<ChatMessage>, string> answer, Action<ChatOptions?>? onOptions = null) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            onOptions?.Invoke(options);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(messages.ToList()))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
