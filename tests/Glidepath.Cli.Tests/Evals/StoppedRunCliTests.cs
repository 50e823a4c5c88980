using System.Text.Json;
using System.Text.RegularExpressions;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// Ctrl-C or SIGTERM (the command's cancellation token) during a run: every call in flight stops, the judge's too; no
/// trial it cut short is saved; and the resume line printed finishes the run (docs/eval.md, "Persistence and resume").
/// </summary>
public sealed class StoppedRunCliTests
{
    // Well below the judge's timeout (300 s here): a stop that waited for it fails, one that cancels the call passes with
    // minutes to spare on a loaded machine.
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(120);

    // Outside trial (author #2): the judge's calls were scored under no token, so Ctrl-C waited for the judge's timeout
    // (33 s, up to 4 minutes with retries), saved every cut-off trial as a timeout error, and the printed resume line
    // skipped them and could only end in exit 3.
    [Fact]
    public async Task EvalRun_StoppedWhileTheJudgeHangs_Exits130WithoutWaitingForTheJudge_SavesNoErrorAndTheResumeLineFinishes()
    {
        using var judge = new JudgeEndpoint { Hang = true };
        using var app = EvalApp.WithJudge(judge, "timeout: 300s, max_retries: 0");
        using var cts = new CancellationTokenSource();

        var running = app.RunAsync(["eval", "run", "--tag", "refunds", "--format", "json"], cts.Token);
        await Task.WhenAny(judge.FirstCall, running);
        Assert.True(judge.FirstCall.IsCompleted, "the run ended before it asked the judge");
        await cts.CancelAsync();
        var stopped = await Task.WhenAny(running, Task.Delay(StopBound));

        Assert.True(stopped == running, $"the run was still waiting for the judge {StopBound.TotalSeconds:0} s after the stop (its timeout is 300 s)");
        var (code, _, stderr) = await running;
        Assert.True(code == 130, $"exit {code}: {stderr}");
        var resume = ResumeWords(stderr);
        var saved = await SavedAsync(app, resume[resume.IndexOf("--resume") + 1]);
        Assert.DoesNotContain("error", saved);

        judge.Hang = false;
        var (resumedCode, resumedOut, resumedErr) = await app.RunAsGivenAsync([.. resume, "--format", "json"]);

        Assert.True(resumedCode == 0, $"exit {resumedCode}: {resumedErr}");
        using var doc = JsonDocument.Parse(resumedOut);
        var summary = doc.RootElement.GetProperty("summary");
        Assert.Equal((6, 0), (summary.GetProperty("trials").GetInt32(), summary.GetProperty("errors").GetInt32()));
    }

    /// <summary>The words of the resume line a stopped run printed, without the leading <c>glidepath</c>.</summary>
    internal static List<string> ResumeWords(string stderr)
    {
        var line = Regex.Match(stderr, "Continue with: glidepath (.+)$", RegexOptions.Multiline).Groups[1].Value.TrimEnd();
        Assert.False(string.IsNullOrEmpty(line), stderr);
        Assert.DoesNotContain('\'', line); // the test's paths need no quoting
        return [.. line.Split(' ')];
    }

    /// <summary>The status of every result the run saved.</summary>
    internal static async Task<List<string>> SavedAsync(EvalApp app, string runId)
    {
        var (code, stdout, stderr) = await app.RunAsync("eval", "show", runId, "--format", "json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return [.. doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()!)];
    }
}
