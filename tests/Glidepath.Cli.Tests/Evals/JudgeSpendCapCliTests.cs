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

    // Trial gatejudge3 L2: the refusal of a resume at a spent cap said "is reached" without the spend, in text and JSON, so
    // the user could not tell how far to raise the cap.
    [Fact]
    public async Task EvalRun_ResumeWithTheCapLoweredBelowTheSpend_RefusalSaysWhatIsSpent_TextAndJson()
    {
        using var judge = new JudgeEndpoint();
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        Cap(app, "0.02");
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--concurrency", "1", "--format", "json");
        var id = RunId(stdout);
        Cap(app, "0.01");

        var (text, _, textErr) = await app.RunAsync("eval", "run", "--resume", id);
        var (json, jsonOut, jsonErr) = await app.RunAsync("eval", "run", "--resume", id, "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}"); // $0.018 spent
        Assert.True(text == 2, $"exit {text}: {textErr}");
        Assert.Contains($"run {id} cannot go on: llm_judge: the judge's spend limit of $0.01 is reached: $0.018 is spent, so each of its", textErr, StringComparison.Ordinal);
        Assert.True(json == 2, $"exit {json}: {jsonErr}");
        Assert.Contains("the judge's spend limit of $0.01 is reached: $0.018 is spent", jsonOut + jsonErr, StringComparison.Ordinal);
        Assert.Equal(3, judge.Calls);
    }

    // Trial gatejudge3 L1: at one call of headroom a resume asked the release for as many trials as its concurrency, and
    // threw all answers but one away when the judge refused them. Now every trial whose release was asked is judged.
    [Fact]
    public async Task EvalRun_ResumeWithHeadroomForOneCall_AsksTheReleaseOnce_NotForEachTrialInFlight()
    {
        using var judge = new JudgeEndpoint();
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        Cap(app, "0.02");
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--concurrency", "1", "--format", "json");
        var id = RunId(stdout);
        Cap(app, "0.026"); // $0.018 spent: room for one more call at $0.006, not two

        var (resumed, _, resumedErr) = await app.RunAsync("eval", "run", "--resume", id, "--concurrency", "8", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.True(resumed == 3, $"resume exit {resumed}: {resumedErr}");
        Assert.Equal(4, judge.Calls);
        Assert.Equal(4L, await AnsweredAsync(app)); // before: 11, eight trials in flight each paid for the release's answer
    }

    // Trial gatejudge3 M2: a judge call that got no answer counted under the cap in the process that made it only; a resume
    // started from the answers' spend and got the estimate back. It is stored with the run's spend, and shown apart.
    [Fact]
    public async Task EvalRun_JudgeCallsWithNoAnswer_CountedInTheStoredSpendApartFromTheBilled_AResumeStartsFromThem()
    {
        using var judge = new JudgeEndpoint();
        judge.FailFor = call => call == 2;
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        Cap(app, "0.03"); // five calls at $0.006
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--concurrency", "1", "--format", "json");
        var id = RunId(stdout);
        var first = judge.Calls;
        Cap(app, "0.039"); // room for one more call, counting the one with no answer; two without it

        var (resumed, resumedOut, resumedErr) = await app.RunAsync("eval", "run", "--resume", id, "--concurrency", "1", "--format", "json");
        var (shown, shownOut, _) = await app.RunAsync("eval", "show", id);

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Equal(5, first); // four answers and one 500, which counts at $0.006
        using (var doc = JsonDocument.Parse(stdout))
        {
            var s = doc.RootElement.GetProperty("summary");
            Assert.Equal((4, 1, 0.006), (s.GetProperty("judge_calls").GetInt32(), s.GetProperty("judge_unanswered_calls").GetInt32(), s.GetProperty("judge_unanswered_usd").GetDouble()));
            Assert.Equal(0.024, s.GetProperty("judge_cost_usd").GetDouble(), 9);
        }

        Assert.True(resumed == 3, $"resume exit {resumed}: {resumedErr}");
        Assert.Equal(6, judge.Calls); // before: 7, the resume's cap started from $0.024
        Assert.Equal(5, Summary(resumedOut).Calls);
        Assert.True(shown == 0);
        Assert.Contains("1 judge call(s) got no answer (a timeout, a dropped connection) and are not in judge calls or judge $", shownOut, StringComparison.Ordinal);
    }

    // Trial gatejudge3 L4: a run started before 2026-12-07 with a cap has the cap in its scorer version. With the cap as it
    // was, nothing that scores changed and it resumes (here to the spent cap's refusal); with the cap changed, the refusal
    // says that the cap is the likely cause.
    [Fact]
    public async Task EvalRun_RunWithTheCapInItsOldScorerVersion_ResumesWithTheSameCap_RefusalOtherwiseNamesTheCap()
    {
        using var judge = new JudgeEndpoint();
        using var app = JudgeCostCliTests.PricedJudgeApp(judge);
        Cap(app, "0.02");
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--trials", "2", "--no-cache", "--concurrency", "1", "--format", "json");
        var id = RunId(stdout);
        var specs = Glidepath.Manifests.ManifestParser.Load(app.Manifest).Eval!.Scorers;
        var old = Glidepath.Evals.Scorers.ScorerSet.VersionOf(specs, path => File.ReadAllBytes(Path.Combine(app.Dir, path)), withUnversioned: true);
        await using (var connection = new SqliteConnection($"Data Source={app.StorePath};Pooling=False"))
        {
            // As such a run is stored: the cap in its scorer version, and no judge spend kept.
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = "UPDATE eval_runs SET scorer_version = $v, judge_spend_json = NULL WHERE id = $id";
            cmd.Parameters.AddWithValue("$v", old);
            cmd.Parameters.AddWithValue("$id", id);
            await cmd.ExecuteNonQueryAsync();
        }

        var (same, _, sameErr) = await app.RunAsync("eval", "run", "--resume", id);
        Cap(app, "1");
        var (raised, _, raisedErr) = await app.RunAsync("eval", "run", "--resume", id);

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.True(same == 2, $"exit {same}: {sameErr}");
        Assert.Contains($"run {id} cannot go on: llm_judge: the judge's spend limit of $0.02 is reached", sameErr, StringComparison.Ordinal); // not "the scorers … changed"
        Assert.True(raised == 2, $"exit {raised}: {raisedErr}");
        Assert.Contains($"the scorers (eval.scorers, rubrics, judge) changed since run {id} started; start a new run. If only max_spend_usd changed: a run started before 2026-12-07 has max_spend_usd in its scorer version", Regex.Replace(raisedErr, @"\s+", " "), StringComparison.Ordinal);
        Assert.Equal(3, judge.Calls);
    }

    // Trials whose release was asked: those with its answer stored (a trial refused before it has none).
    private static async Task<long> AnsweredAsync(EvalApp app)
    {
        await using var connection = new SqliteConnection($"Data Source={app.StorePath};Pooling=False");
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM eval_results WHERE output <> ''";
        return (long)(await cmd.ExecuteScalarAsync())!;
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
