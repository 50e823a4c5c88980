using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// The judge's calls and cost beside the model's, in eval run, eval show and gate (text and JSON): trial gatejudge M2, where
/// the judge cost 4.7× the release's and no output said so.
/// </summary>
public sealed class JudgeCostCliTests
{
    // The judge endpoint reports 10 input and 5 output tokens a call: at $100 / $1,000 per million, $0.006 a call.
    internal static EvalApp PricedJudgeApp(JudgeEndpoint judge)
    {
        var app = EvalApp.WithJudge(judge);
        app.EditManifest(y => y.Replace("  sim-support-1: { input: 3.0, output: 15.0 }", "  sim-support-1: { input: 3.0, output: 15.0 }\n  judge-1: { input: 100.0, output: 1000.0 }", StringComparison.Ordinal));
        return app;
    }

    [Fact]
    public async Task EvalRun_PricedJudge_SummaryCountsItsCallsAndCost_ACachedRerunNoCallsTheSameCost_EvalShowAgrees()
    {
        using var judge = new JudgeEndpoint();
        using var app = PricedJudgeApp(judge);

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--format", "json");
        Assert.True(code == 0, $"exit {code}: {stderr}");
        var first = Summary(stdout, "summary");
        var (againCode, againOut, againErr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--format", "json");
        Assert.True(againCode == 0, $"exit {againCode}: {againErr}");
        var again = Summary(againOut, "summary");
        var (showCode, showOut, showErr) = await app.RunAsync("eval", "show", RunId(stdout), "--format", "json");
        Assert.True(showCode == 0, $"exit {showCode}: {showErr}");
        using var show = JsonDocument.Parse(showOut);
        var shown = show.RootElement.GetProperty("summaries")[0];

        Assert.Equal(judge.Calls, first.Calls);
        Assert.Equal(first.Trials, first.Calls);
        Assert.Equal(0.006 * first.Calls, first.Cost!.Value, 9);
        Assert.Equal(0, again.Calls); // every judge answer came from the cache
        Assert.Equal(first.Cost, again.Cost); // priced at what it cost when given, as the model's answers are
        Assert.Equal(first.Calls, shown.GetProperty("judge_calls").GetInt32());
        Assert.Equal(first.Cost!.Value, shown.GetProperty("judge_cost_usd").GetDouble(), 9);
    }

    [Fact]
    public async Task Gate_PricedJudge_JsonHasEachSidesSummaryWithTheJudge_TextHasTheJudgeColumns()
    {
        using var judge = new JudgeEndpoint();
        using var app = PricedJudgeApp(judge);
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nBe brief.\n");

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--trials", "2", "--format", "json", "--no-cache");
        Assert.True(code is 0 or 1, $"exit {code}: {stderr}");
        var (textCode, text, textErr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--trials", "2", "--no-cache");
        Assert.True(textCode is 0 or 1, $"exit {textCode}: {textErr}");

        using var doc = JsonDocument.Parse(stdout);
        var sides = doc.RootElement.GetProperty("summaries").EnumerateArray().ToList();
        Assert.Equal(2, sides.Count);
        Assert.Equal(judge.Calls / 2, sides.Sum(s => s.GetProperty("judge_calls").GetInt32()));
        Assert.All(sides, s => Assert.True(s.GetProperty("judge_cost_usd").GetDouble() > 0));
        Assert.Contains("judge calls", text, StringComparison.Ordinal);
        Assert.Contains("judge $", text, StringComparison.Ordinal);
    }

    // Trial gatejudge M3: max_spend_usd was per process, so every --resume of a run stopped by it spent the cap again. Since
    // trial gatejudge2 M3 such a resume is refused before anything is called (it asked the release's model for every trial
    // left, each refused its score).
    [Fact]
    public async Task EvalRun_StoppedByTheJudgesSpendLimit_ResumeSpendsNothingMore()
    {
        using var judge = new JudgeEndpoint();
        using var app = PricedJudgeApp(judge);
        app.EditManifest(y => y.Replace("name: judge-1 }, pass: 0.7 }", "name: judge-1 }, pass: 0.7, max_spend_usd: 0.02 }", StringComparison.Ordinal));

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "4", "--no-cache", "--format", "json");
        var spentFirst = judge.Calls;
        var (resumed, _, resumedErr) = await app.RunAsync("eval", "run", "--resume", RunId(stdout), "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.InRange(spentFirst, 1, 4); // $0.006 a call: the fourth would pass $0.02
        Assert.True(resumed == 2, $"resume exit {resumed}: {resumedErr}");
        Assert.Contains("spend limit of $0.02 is reached", resumedErr, StringComparison.Ordinal);
        Assert.Equal(spentFirst, judge.Calls); // before: up to four more calls, the cap spent again
    }

    // Trial gatejudge2: an answer the judge gave that could not be read was billed but counted nowhere (with half of them
    // unreadable the reported cost was half the bill).
    [Fact]
    public async Task EvalRun_UnreadableJudgeAnswers_AreCountedInTheJudgesCallsAndCost()
    {
        using var judge = new JudgeEndpoint();
        judge.AnswerFor = call => call % 2 == 0 ? "no score here" : judge.Answer;
        using var app = PricedJudgeApp(judge);

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}"); // the unreadable answers are trial errors
        var summary = Summary(stdout, "summary");
        Assert.Equal(judge.Calls, summary.Calls);
        Assert.Equal(0.006 * judge.Calls, summary.Cost!.Value, 9);
    }

    // Trial gatejudge: once the judge's spend limit was reached, every remaining trial still paid for the release's answer
    // before its score was refused.
    [Fact]
    public async Task EvalRun_PastTheJudgesSpendLimit_TheReleaseIsNotAskedEither()
    {
        using var judge = new JudgeEndpoint();
        using var app = PricedJudgeApp(judge);
        app.EditManifest(y => y.Replace("name: judge-1 }, pass: 0.7 }", "name: judge-1 }, pass: 0.7, max_spend_usd: 0.02 }", StringComparison.Ordinal));

        // One trial at a time: nothing is in flight when the limit is reached, so no trial can pass the check before it.
        var (code, _, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "4", "--no-cache", "--concurrency", "1", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var connection = new SqliteConnection($"Data Source={app.StorePath}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*), count(cost_usd) FROM eval_results WHERE error LIKE '%spend limit of $0.02 is reached%'";
        using var reader = cmd.ExecuteReader();
        Assert.True(reader.Read());
        Assert.True(reader.GetInt64(0) > 0, "no trial was refused for the spend limit");
        Assert.Equal(0, reader.GetInt64(1)); // no refused trial has a cost: the release's model was not called for it
        Assert.Equal(judge.Calls, await CountAsync(connection, "SELECT count(*) FROM eval_results WHERE cost_usd IS NOT NULL"));
    }

    private static async Task<int> CountAsync(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task EvalRun_NoJudge_NoJudgeColumns_ZeroCallsAndNullCost()
    {
        using var app = EvalApp.Create();

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");
        var (textCode, text, _) = await app.RunAsync("eval", "run", "--tag", "refunds");

        Assert.True(code == 0 && textCode == 0, stderr);
        Assert.Equal((0, (double?)null), (Summary(stdout, "summary").Calls, Summary(stdout, "summary").Cost));
        Assert.DoesNotContain("judge", text, StringComparison.Ordinal);
    }

    private static (int Trials, int Calls, double? Cost) Summary(string json, string property)
    {
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement.GetProperty(property);
        var cost = s.GetProperty("judge_cost_usd");
        return (s.GetProperty("trials").GetInt32(), s.GetProperty("judge_calls").GetInt32(), cost.ValueKind == JsonValueKind.Null ? null : cost.GetDouble());
    }

    private static string RunId(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("run").GetString()!;
    }
}
