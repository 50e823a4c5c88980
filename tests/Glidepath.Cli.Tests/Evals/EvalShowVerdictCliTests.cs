using System.Text.Json;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>Newcomer trial L8: 'eval show' of a gate run showed both summaries but not the verdict the gate stored.</summary>
public sealed class EvalShowVerdictCliTests
{
    private static async Task<(EvalApp App, string RunId)> BlockedGateAsync()
    {
        var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        app.EditPrompt(p => string.Join('\n', p.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));
        var (code, stdout, stderr) = await app.RunAsync("gate", "--baseline", v1, "--format", "json");
        Assert.True(code == 1, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return (app, doc.RootElement.GetProperty("run").GetString()!);
    }

    [Fact]
    public async Task EvalShow_BlockedGateRun_PrintsTheStoredVerdictItsReasonsAndThatItHolds()
    {
        var (app, runId) = await BlockedGateAsync();
        using var _ = app;

        var (code, stdout, stderr) = await app.RunAsync("eval", "show", runId);

        Assert.True(code == 0, stderr);
        Assert.Contains("gate verdict BLOCKED (gv-", stdout, StringComparison.Ordinal);
        Assert.Contains("\n  - ", stdout, StringComparison.Ordinal);
        Assert.Contains("still holds: yes: computed on the current eval.dataset and eval.scorers, under the gate rule in force", stdout, StringComparison.Ordinal);
    }

    // Outside trial (author #11): 'eval show' labelled the baseline row of a gate run but not the candidate's; 'gate' labels both.
    [Fact]
    public async Task EvalShow_GateRun_LabelsBothTheBaselineAndTheCandidateRow()
    {
        var (app, runId) = await BlockedGateAsync();
        using var _ = app;

        var (code, stdout, stderr) = await app.RunAsync("eval", "show", runId);

        Assert.True(code == 0, stderr);
        var rows = stdout.Split('\n');
        Assert.Single(rows, l => l.StartsWith("v1+", StringComparison.Ordinal) && l.Contains(" (baseline) ", StringComparison.Ordinal));
        Assert.Single(rows, l => l.StartsWith("v2+", StringComparison.Ordinal) && l.Contains(" (candidate) ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvalShowJson_GateRuleChangedSince_VerdictIsBlockedAndNoLongerHolds()
    {
        var (app, runId) = await BlockedGateAsync();
        using var _ = app;
        app.EditManifest(y => y.Replace("max_case_regressions: 0", "max_case_regressions: 3", StringComparison.Ordinal));

        var (code, stdout, stderr) = await app.RunAsync("eval", "show", runId, "--format", "json");

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var verdict = doc.RootElement.GetProperty("stored_verdict");
        Assert.Equal("blocked", verdict.GetProperty("result").GetString());
        Assert.StartsWith("gv-", verdict.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, verdict.GetProperty("reasons").GetArrayLength());
        Assert.False(verdict.GetProperty("holds").GetBoolean());
        Assert.Equal("no: the gate rule (eval.gate, eval.trials) has changed since", verdict.GetProperty("holds_why").GetString());
    }

    [Fact]
    public async Task EvalShow_EvalRun_HasNoVerdict()
    {
        using var app = EvalApp.Create();
        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--tag", "shipping", "--format", "json");
        Assert.True(code is 0 or 1, stderr);
        using var run = JsonDocument.Parse(stdout);

        var (showCode, text, _) = await app.RunAsync("eval", "show", run.RootElement.GetProperty("run").GetString()!);
        var (_, json, _) = await app.RunAsync("eval", "show", run.RootElement.GetProperty("run").GetString()!, "--format", "json");

        Assert.Equal(0, showCode);
        Assert.DoesNotContain("gate verdict", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("stored_verdict").ValueKind);
    }
}
