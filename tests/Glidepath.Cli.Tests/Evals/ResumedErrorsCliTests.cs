using System.Text.RegularExpressions;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// <c>--resume</c> runs a trial stored as an error again and puts its result in the error's place; it skips the trials
/// stored with a result, passed or failed (docs/eval.md, "Persistence and resume").
/// </summary>
public sealed class ResumedErrorsCliTests
{
    // Outside trial (author #2): the judge's errors were stored as finished, so once the judge was fixed `gate --resume`
    // said "8 of 14 result(s) already saved are not repeated" and ended in Gate ERROR, exit 3, whatever the judge did.
    [Fact]
    public async Task GateResume_AfterJudgeErrors_AsksTheErroredTrialsAgainAndDecides()
    {
        using var judge = new JudgeEndpoint { Answer = "I think it is fine." };
        using var app = EvalApp.WithJudge(judge);
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p.Replace("\n- ", "\n\n-   ", StringComparison.Ordinal) + "\n\n"); // another release, the same answers

        var (erred, _, erredErr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds");
        Assert.True(erred == 3, $"exit {erred}: {erredErr}");
        var runId = Regex.Match(erredErr, @"run (\d{8}-\d{6}-[0-9a-f]{4}):").Groups[1].Value;
        Assert.All(await StoppedRunCliTests.SavedAsync(app, runId), s => Assert.Equal("error", s));
        judge.Answer = "{\"score\": 0.9, \"reason\": \"correct\"}";
        var callsBefore = judge.Calls;

        var (code, stdout, stderr) = await app.RunAsync("gate", "--resume", runId);

        Assert.True(code == 0, $"exit {code}: {stdout}\n{stderr}");
        Assert.Contains("Gate PASS", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("already saved are not repeated", stderr, StringComparison.Ordinal); // errors are not counted as saved results
        Assert.True(judge.Calls > callsBefore, "the judge was not asked again");
        Assert.All(await StoppedRunCliTests.SavedAsync(app, runId), s => Assert.Equal("pass", s));
    }
}
