using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// A run stopped by its judge's <c>max_spend_usd</c> (outside trial gatejudge2 M2/M3): raising the cap and running the printed
/// <c>--resume</c> finishes it; the run's judge spend, answers that errored and results a resume replaced included, holds
/// across resumes; a resume whose cap is spent is refused before anything is called; the hint says to raise the cap.
/// </summary>
public sealed class JudgeSpendCapCliTests
{
    // $0.006 a judge call (JudgeCostCliTests.PricedJudgeApp); six refunds cases.
    private static void Cap(EvalApp app, string usd) => app.EditManifest(y => Regex.Replace(y, @"name: judge-1 \}, pass: 0\.7(, max_spend_usd: [0-9.]+)? \}",
        $"name: judge-1 }}, pass: 0.7, max_spend_usd: {usd} }}"));

    [Fact]
    public async Task EvalRun_StoppedByTheCap_CapRaised_ThePrintedResumeFinishesTheRun_WithTheRunsJudgeTotals()
    {
        using var judge = new JudgeEndpoint();
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        Cap(app, "0.02");

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--concurrency", "1", "--format", "json");
        var stopped = judge.Calls;
        using var doc = JsonDocument.Parse(stdout);
        var resume = doc.RootElement.GetProperty("resume").GetString()!;
        Cap(app, "1");
        var (resumed, resumedOut, resumedErr) = await app.RunAsGivenAsync(Args(resume, "--format", "json"));

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Equal(3, stopped); // a fourth call would pass $0.02
        Assert.Contains("raise max_spend_usd in eval.scorers (llm_judge: the judge's spend limit of $0.02 is reached", doc.RootElement.GetProperty("resume_after").GetString(), StringComparison.Ordinal);
        Assert.Contains("to ask the errored trials again, raise max_spend_usd in eval.scorers", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("once the cause is gone", stderr, StringComparison.Ordinal);
        Assert.True(resumed == 0, $"resume exit {resumed}: {resumedErr}"); // before: exit 2, "the scorers … changed since run … started"
        Assert.Equal(12, judge.Calls);
        var summary = Summary(resumedOut);
        Assert.Equal((12, 0, 12), (summary.Trials, summary.Errors, summary.Calls));
        Assert.Equal(0.072, summary.Cost!.Value, 9);
    }

    // An answer that could not be read was billed; the resume that asked its trial again replaced the error, and with it the
    // only record of that cost: the run's judge figures showed the surviving results' calls only.
    [Fact]
    public async Task EvalRun_UnreadableAnswersAskedAgainByAResume_TheRunsJudgeCallsAndCostCountBoth()
    {
        using var judge = new JudgeEndpoint();
        judge.AnswerFor = call => call % 2 == 0 ? "no score here" : judge.Answer;
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--format", "json");
        judge.AnswerFor = null;
        var id = RunId(stdout);
        var (resumed, resumedOut, resumedErr) = await app.RunAsync("eval", "run", "--resume", id, "--format", "json");
        var (showCode, showOut, showErr) = await app.RunAsync("eval", "show", id, "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.True(resumed == 0, $"resume exit {resumed}: {resumedErr}");
        Assert.True(showCode == 0, showErr);
        Assert.Equal(18, judge.Calls); // 12, of which 6 unreadable, then those 6 again
        var summary = Summary(resumedOut);
        Assert.Equal((0, 18), (summary.Errors, summary.Calls)); // before: 12, the replaced errors' calls gone
        Assert.Equal(0.108, summary.Cost!.Value, 9);
        using var show = JsonDocument.Parse(showOut);
        var shown = show.RootElement.GetProperty("summaries")[0];
        Assert.Equal(18, shown.GetProperty("judge_calls").GetInt32());
        Assert.Equal(0.108, shown.GetProperty("judge_cost_usd").GetDouble(), 9);
    }

    // Trial gatejudge2 M2: each resume started from the stored results' cost, so it got back what the answers whose results
    // it replaced had cost: $0.548 billed on a $0.30 cap after three resumes.
    [Fact]
    public async Task EvalRun_CapAcrossResumesThatReplaceErrors_NeverPassed_TheResumeAtTheCapRefusedBeforeAnyCall()
    {
        using var judge = new JudgeEndpoint();
        judge.AnswerFor = call => call % 2 == 0 ? "no score here" : judge.Answer;
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        Cap(app, "0.1");

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--concurrency", "1", "--format", "json");
        judge.AnswerFor = null;
        var id = RunId(stdout);
        var (first, _, firstErr) = await app.RunAsync("eval", "run", "--resume", id, "--format", "json");
        var afterFirst = judge.Calls;
        var before = await ResultsAsync(app);
        var (second, _, secondErr) = await app.RunAsync("eval", "run", "--resume", id, "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}"); // 12 calls, $0.072: 6 unreadable
        Assert.True(first == 3, $"first resume exit {first}: {firstErr}");
        Assert.Equal(16, afterFirst); // 4 more reach $0.096; a fifth would pass $0.10
        Assert.True(second == 2, $"second resume exit {second}: {secondErr}");
        Assert.Contains($"run {id} cannot go on: llm_judge: the judge's spend limit of $0.1 is reached: $0.096 is spent", secondErr, StringComparison.Ordinal);
        Assert.Contains("each of its 2 trial(s) left would be refused; nothing was called. Raise max_spend_usd in eval.scorers", secondErr, StringComparison.Ordinal);
        Assert.Equal(16, judge.Calls); // before: 18, $0.108 on a $0.10 cap
        Assert.Equal(before, await ResultsAsync(app)); // the release's model was not asked either: no result was written
    }

    [Fact]
    public async Task Gate_StoppedByTheCap_JsonSaysToRaiseItBeforeResume_RaisedTheResumeFinishes()
    {
        using var judge = new JudgeEndpoint();
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nBe brief.\n");
        Cap(app, "0.05");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--trials", "2", "--no-cache", "--format", "json");
        using var doc = JsonDocument.Parse(stdout);
        Cap(app, "1");
        var (resumed, resumedOut, resumedErr) = await app.RunAsGivenAsync(Args(doc.RootElement.GetProperty("resume").GetString()!, "--format", "json"));

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.StartsWith("raise max_spend_usd in eval.scorers (llm_judge: the judge's spend limit of $0.05 is reached", doc.RootElement.GetProperty("resume_after").GetString(), StringComparison.Ordinal);
        Assert.True(resumed is 0 or 1, $"resume exit {resumed}: {resumedErr}");
        Assert.Equal(24, judge.Calls);
        using var after = JsonDocument.Parse(resumedOut);
        Assert.Equal(24, after.RootElement.GetProperty("summaries").EnumerateArray().Sum(s => s.GetProperty("judge_calls").GetInt32()));
        Assert.False(after.RootElement.TryGetProperty("resume_after", out _));
    }

    // The printed command, as a user pastes it: "glidepath" and its arguments (the store is the app's own).
    private static string[] Args(string command, params string[] more)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("glidepath", words[0]);
        return [.. words[1..], .. more];
    }

    private static async Task<string> ResultsAsync(EvalApp app)
    {
        await using var connection = new SqliteConnection($"Data Source={app.StorePath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) || ' ' || max(finished_at) || ' ' || group_concat(status) FROM eval_results";
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private static (int Trials, int Errors, int Calls, double? Cost) Summary(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement.GetProperty("summary");
        var cost = s.GetProperty("judge_cost_usd");
        return (s.GetProperty("trials").GetInt32(), s.GetProperty("errors").GetInt32(), s.GetProperty("judge_calls").GetInt32(), cost.ValueKind == JsonValueKind.Null ? null : cost.GetDouble());
    }

    private static string RunId(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("run").GetString()!;
    }
}
