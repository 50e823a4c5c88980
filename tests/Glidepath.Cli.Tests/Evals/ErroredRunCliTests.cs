using System.Text.Json;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// From an outside trial: eval run and gate exited 3 without the error object every other exit 3 prints, and a run whose
/// every trial errored read "pass_rate: 0, mean_score: 0, latency_p50_ms: 0" beside "cost_usd: null". Not measured is
/// null (text: "not measured" or "-"), and the exit-3 document carries error and exit_code beside the result.
/// </summary>
public sealed class ErroredRunCliTests
{
    private static EvalApp FailingProvider(EvalApp app)
    {
        app.EditManifest(y => y.Replace("providers:                        # connection settings are not part of a release",
            "providers:\n  sim: { max_retries: 0 }", StringComparison.Ordinal));
        app.EditManifest(y => y.Replace("options: { latency_scale: 0 }", "options: { latency_scale: 0, faults: { error_rate: 1.0 } }", StringComparison.Ordinal));
        return app;
    }

    [Fact]
    public async Task EvalRun_EveryTrialErroredAsJson_NullFiguresAndErrorObjectKeysExit3()
    {
        using var app = FailingProvider(EvalApp.Create());

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var summary = root.GetProperty("summary");
        Assert.Equal(summary.GetProperty("trials").GetInt32(), summary.GetProperty("errors").GetInt32());
        foreach (var figure in new[] { "pass_rate", "mean_score", "latency_p50_ms", "latency_p95_ms", "cost_usd" })
        {
            Assert.True(summary.GetProperty(figure).ValueKind == JsonValueKind.Null, $"{figure}: {summary.GetProperty(figure)}");
        }

        Assert.Equal(3, root.GetProperty("exit_code").GetInt32());
        Assert.Contains("could not be scored", root.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("not_passed").GetArrayLength() > 0);
    }

    [Fact]
    public async Task EvalRun_EveryTrialErroredAsText_SaysNotMeasuredNotZero()
    {
        using var app = FailingProvider(EvalApp.Create());

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Contains("pass rate, mean score and latency not measured", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0%", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalRun_EveryTrialScored_NoErrorKeys()
    {
        using var app = EvalApp.Create();

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.False(doc.RootElement.TryGetProperty("error", out _));
        Assert.False(doc.RootElement.TryGetProperty("exit_code", out _));
        Assert.Equal(JsonValueKind.Number, doc.RootElement.GetProperty("summary").GetProperty("pass_rate").ValueKind);
    }

    [Fact]
    public async Task Gate_CandidateEveryTrialErroredAsJson_CandidateFiguresNullAndErrorObjectKeysExit3()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        FailingProvider(app);

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("error", root.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("baseline_pass_rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("candidate_pass_rate").ValueKind);
        var mean = root.GetProperty("mean_difference");
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, JsonValueKind.Null), (mean.GetProperty("estimate").ValueKind, mean.GetProperty("low").ValueKind, mean.GetProperty("high").ValueKind));
        Assert.Equal(3, root.GetProperty("exit_code").GetInt32());
        Assert.StartsWith("gate verdict error: ", root.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("; first: ", root.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_CandidateEveryTrialErroredAsText_SaysNotMeasured()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        FailingProvider(app);

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Contains("→ not measured; mean score difference not measured", stdout, StringComparison.Ordinal);
        Assert.Contains("(candidate): pass rate, mean score and latency not measured", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_Passes_NoErrorKeysInItsDocument()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();

        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.False(doc.RootElement.TryGetProperty("error", out _));
        Assert.False(doc.RootElement.TryGetProperty("exit_code", out _));
    }

    // Trial gatejudge L6: a gate that ended in error (a few unreadable judge answers) did not say it could be resumed,
    // though resuming asks only the errored trials again; only a Ctrl-C printed the command.
    [Fact]
    public async Task Gate_JudgeErrorsAsJson_DocumentAndStderrNameTheResumeCommand_WhichPassesOnceTheJudgeIsFixed()
    {
        using var judge = new JudgeEndpoint { Answer = "I think it is fine." };
        using var app = EvalApp.WithJudge(judge);
        var (code, stdout, stderr) = await GateOnAPromptChangeAsync(app);
        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var run = doc.RootElement.GetProperty("run").GetString();
        var resume = doc.RootElement.GetProperty("resume").GetString()!;
        judge.Answer = "{\"score\": 0.9, \"reason\": \"correct\"}";
        var resumed = await app.RunAsGivenAsync(resume.Split(' ').Skip(1).ToList());

        Assert.Equal($"glidepath gate --resume {run} --manifest {app.Manifest} --store {app.StorePath}", resume);
        Assert.Contains("to ask only the errored trials again once the cause is gone: " + resume, stderr, StringComparison.Ordinal);
        Assert.True(resumed.Code == 0, $"exit {resumed.Code}: {resumed.Stderr}");
    }

    // Trial gatejudge2 LOW 1, 3 and 6: a judge answer giving "score" twice read "the scorer threw ArgumentException"; the
    // error string said "trial 1" beside "trial": 0; and cases the judge can never grade were ten error lines and a resume
    // line "once the cause is gone", which never comes for them.
    [Fact]
    public async Task Gate_JudgeCannotGradeAnyTrial_ListsTheCasesFirstSaysAResumeWillNotFixThem_AndNamesTrialsOutOfTheirCount()
    {
        using var judge = new JudgeEndpoint { Answer = "{\"score\": 0.9, \"score\": 0.1}" };
        using var app = EvalApp.WithJudge(judge);
        var (code, stdout, stderr) = await GateOnAPromptChangeAsync(app);

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var always = root.GetProperty("cases_always_errored");
        Assert.Equal(root.GetProperty("counts").GetProperty("cases").GetInt32(), always.GetArrayLength());
        var first = root.GetProperty("errors")[0];
        Assert.Contains("the judge's answer states two different scores (0.9 and 0.1)", first.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ArgumentException", stdout + stderr, StringComparison.Ordinal);
        var trials = root.GetProperty("counts").GetProperty("trials").GetInt32();
        Assert.Contains($"{first.GetProperty("case_id").GetString()} ({first.GetProperty("side").GetString()}, trial {first.GetProperty("trial").GetInt32() + 1} of {trials}): ",
            root.GetProperty("error").GetString(), StringComparison.Ordinal);
        var cases = always.GetArrayLength();
        Assert.Contains($"{cases} case(s) errored on every trial ({2 * trials * cases} of the {2 * trials * cases} errored trial(s)): a resume asks them again and will not fix them",
            root.GetProperty("error").GetString(), StringComparison.Ordinal);
        var summary = stderr.IndexOf("errored on every trial: ", StringComparison.Ordinal);
        Assert.True(summary >= 0, stderr);
        Assert.Contains($"  {always[0].GetProperty("case_id").GetString()}: {2 * trials}/{2 * trials} trials errored (baseline {trials}/{trials}, candidate {trials}/{trials})", stderr, StringComparison.Ordinal);
        Assert.True(summary < stderr.IndexOf("to ask only the errored trials again", StringComparison.Ordinal), stderr);
    }

    // Outside trial gate1000 HIGH-1: a provider outage errored every trial of 90 cases, listed as cases a resume "will not
    // fix"; ci.md's recipe then skipped the resume, which fixed every one. A judge answering 500 to every call is such an outage.
    [Fact]
    public async Task Gate_JudgeDownForEveryTrial_NoCaseListedAsOneAResumeWillNotFix_AndTheResumeFixesThem()
    {
        using var judge = new JudgeEndpoint { FailFor = _ => true };
        using var app = EvalApp.WithJudge(judge);
        var (code, stdout, stderr) = await GateOnAPromptChangeAsync(app);

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("cases_always_errored").GetArrayLength());
        Assert.Contains("met a provider that could not be reached, timed out, was rate limited or answered with a server error: a resume asks them again and is expected to fix a provider outage",
            doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("will not fix", stdout + stderr, StringComparison.Ordinal);

        judge.FailFor = null;
        var resumed = await app.RunAsGivenAsync(doc.RootElement.GetProperty("resume").GetString()!.Split(' ').Skip(1).ToList());
        Assert.True(resumed.Code == 0, $"exit {resumed.Code}: {resumed.Stderr}");
    }

    [Fact]
    public async Task EvalRun_TrialsErroredAsText_StderrNamesTheResumeCommand_AScoredRunDoesNot()
    {
        using var judge = new JudgeEndpoint { Answer = "I think it is fine." };
        using var app = EvalApp.WithJudge(judge);

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds");
        judge.Answer = "{\"score\": 0.9, \"reason\": \"correct\"}";
        var (fine, _, fineErr) = await app.RunAsync("eval", "run", "--tag", "refunds");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        Assert.Matches(@"to ask only the errored trials again once the cause is gone: glidepath eval run --resume \d{8}-\d{6}-[0-9a-f]{4} --manifest ", stderr);
        Assert.True(fine == 0, $"exit {fine}: {fineErr}");
        Assert.DoesNotContain("--resume", fineErr, StringComparison.Ordinal);
    }

    // The reason read "the model call failed: ProviderException: model provider 'sim' failed …": an internal type name.
    [Fact]
    public async Task EvalRun_ProviderFails_ReasonSaysWhatFailedWithoutAnExceptionTypeName()
    {
        using var app = FailingProvider(EvalApp.Create());

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "refunds", "--format", "json");

        Assert.True(code == 3, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var reason = doc.RootElement.GetProperty("not_passed")[0].GetProperty("reason").GetString();
        Assert.StartsWith("the model call failed: model provider 'sim' failed", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
    }

    /// <summary>A release, then its prompt changed and gated against it as JSON (the refunds tag): what the gate tests above judge.</summary>
    private static async Task<(int Code, string Stdout, string Stderr)> GateOnAPromptChangeAsync(EvalApp app)
    {
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => p + "\nBe brief.\n");
        return await app.RunAsync("gate", "--baseline", v1, "--tag", "refunds", "--format", "json");
    }
}
