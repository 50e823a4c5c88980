using System.Text.Json;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// The response cache with an <c>llm_judge</c> on an OpenAI-compatible endpoint: an answer no score can be read from is an
/// error and is never cached, and a <c>--no-cache</c> run writes its fresh answers over the entries (docs/eval.md, "Cache").
/// </summary>
public sealed class JudgeCacheCliTests
{
    // Trial "gate" item 3: after one prose answer every cached gate exited 3 with 0 judge calls until the entry expired.
    [Fact]
    public async Task Gate_JudgeAnsweredInProseThenFixed_TheNextCachedGateAsksTheJudgeAgainAndPasses()
    {
        using var judge = new JudgeEndpoint { Answer = "I think it is fine." };
        using var app = EvalApp.WithJudge(judge);
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p.Replace("\n- ", "\n\n-   ", StringComparison.Ordinal) + "\n\n"); // another release, the same answers

        var (prose, _, proseErr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds");
        judge.Answer = "{\"score\": 0.9, \"reason\": \"correct\"}";
        var callsBefore = judge.Calls;
        var (fixedCode, _, fixedErr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds");

        Assert.True(prose == 3, $"exit {prose}: {proseErr}");
        Assert.Contains("cannot read a score", proseErr, StringComparison.Ordinal);
        Assert.True(fixedCode == 0, $"exit {fixedCode}: {fixedErr}");
        Assert.True(judge.Calls > callsBefore, "the judge was not asked again: its unreadable answers were served from the cache");
    }

    // A --no-cache run used to write nothing, so the next cached run replayed the answers from before it.
    [Fact]
    public async Task EvalRun_NoCacheRun_WritesOverTheCache_TheNextCachedRunReplaysItsAnswers()
    {
        using var judge = new JudgeEndpoint { Answer = "{\"score\": 0.9, \"reason\": \"correct\"}" };
        using var app = EvalApp.WithJudge(judge);

        var first = await PassedAsync(app);
        judge.Answer = "{\"score\": 0.1, \"reason\": \"wrong\"}";
        var fresh = await PassedAsync(app, "--no-cache");
        judge.Answer = "{\"score\": 0.9, \"reason\": \"correct\"}";
        var callsBefore = judge.Calls;
        var replayed = await PassedAsync(app);

        Assert.True(first > 0, "no trial passed with a judge that passes everything");
        Assert.Equal(0, fresh);
        Assert.Equal(0, replayed); // the --no-cache run's answers, not the first run's
        Assert.Equal(callsBefore, judge.Calls);
    }

    // Trial gatejudge HIGH 1: the judge's answers were cached without the trial, so the trials of a case that gave the same
    // answer (a deterministic release) shared one judge draw, and the gate's test counted the copies as independent trials.
    [Fact]
    public async Task EvalRun_DeterministicReleaseJudgeThatDiffersByCall_EveryTrialAsksTheJudge_ACachedRerunReplaysEveryScoreWithoutACall()
    {
        using var judge = new JudgeEndpoint { AnswerFor = n => n % 2 == 0 ? "{\"score\": 0.9, \"reason\": \"fine\"}" : "{\"score\": 0.2, \"reason\": \"poor\"}" };
        using var app = EvalApp.WithJudge(judge);
        app.EditManifest(y => y.Replace("temperature: 0.2", "temperature: 0", StringComparison.Ordinal)); // the same answer every trial

        // One at a time: a trial starts after the one before it was judged (and cached), as most trials did in the trial.
        string[] run = ["eval", "run", "--tag", "refunds", "--trials", "4", "--concurrency", "1", "--format", "json"];
        var (code, stdout, stderr) = await app.RunAsync(run);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        var firstCalls = judge.Calls;
        var first = await JudgeScoresAsync(app, RunId(stdout));
        var (againCode, againOut, againErr) = await app.RunAsync(run);
        Assert.True(againCode == 0, $"exit {againCode}: {againErr}");
        var again = await JudgeScoresAsync(app, RunId(againOut));

        Assert.Equal(first.Count, firstCalls); // each case × trial asked the judge once
        Assert.Equal(4 * first.Select(s => s.Case).Distinct().Count(), first.Count);
        Assert.Equal(2, first.Select(s => s.Score).Distinct().Count()); // both verdicts were drawn
        Assert.Equal(firstCalls, judge.Calls); // the re-run asked nothing
        Assert.Equal(first, again); // and read the same score for every trial
    }

    // Trial gatejudge M5: at 1 trial a side the judge's noise alone made "regressions" of a byte-identical candidate.
    [Theory]
    [InlineData("1", true)]
    [InlineData("3", false)]
    public async Task Gate_WithAnLlmJudge_WarnsOnStderrOnlyAtOneTrial(string trials, bool warned)
    {
        using var judge = new JudgeEndpoint();
        using var app = EvalApp.WithJudge(judge);
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nBe brief.\n");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--trials", trials, "--format", "json");

        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        Assert.Equal(warned, stderr.Contains("warning: 1 trial a side with an llm_judge (openai/judge-1)", StringComparison.Ordinal));
        Assert.DoesNotContain("llm_judge (openai", stdout, StringComparison.Ordinal);
    }

    private static string RunId(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("run").GetString()!;
    }

    /// <summary>The llm_judge score of every case × trial of a run, in case and trial order.</summary>
    private static async Task<List<(string Case, int Trial, double Score)>> JudgeScoresAsync(EvalApp app, string runId)
    {
        var (code, stdout, stderr) = await app.RunAsync("eval", "show", runId, "--format", "json");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("case_id").GetString()!, r.GetProperty("trial").GetInt32(),
                r.GetProperty("scores").EnumerateArray().Single(s => s.GetProperty("scorer").GetString() == "llm_judge").GetProperty("score").GetDouble()))
            .OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2)
            .ToList();
    }

    private static async Task<int> PassedAsync(EvalApp app, params string[] extra)
    {
        var (code, stdout, stderr) = await app.RunAsync(["eval", "run", "--tag", "refunds", "--format", "json", .. extra]);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("summary").GetProperty("passed").GetInt32();
    }
}
