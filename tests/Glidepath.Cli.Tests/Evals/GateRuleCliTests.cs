using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// The gate rule is part of the verdict (trial ci D1): a pass computed under a loosened rule does not count once the rule
/// in force is another, and a gate run under a rule other than the baseline's says so in every report.
/// </summary>
public sealed class GateRuleCliTests
{
    private static string Loosen(string manifest) => manifest
        .Replace("max_case_regressions: 0", "max_case_regressions: 100", StringComparison.Ordinal)
        .Replace("max_mean_drop: 0.0", "max_mean_drop: 1", StringComparison.Ordinal);

    private static string WithoutRefundLine(string prompt) =>
        string.Join('\n', prompt.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal)));

    [Fact]
    public async Task Promote_PassComputedUnderALoosenedRuleSincePutBack_Exit4NamingTheRuleDifference()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        await OkAsync(app, "deploy", v1, "--env", "staging");
        await OkAsync(app, "promote", v1, "--env", "production");
        app.EditPrompt(WithoutRefundLine);
        var v2 = await app.CreateReleaseAsync();
        var committed = File.ReadAllText(app.Manifest);
        app.EditManifest(Loosen);

        var gate = await app.RunAsync("gate", v2, "--baseline", "env:production");
        File.WriteAllText(app.Manifest, committed);
        await OkAsync(app, "deploy", v2, "--env", "staging");
        var (code, stdout, stderr) = await app.RunAsync("promote", v2, "--env", "production", "--reason", "merge");

        Assert.True(gate.Code == 0, $"the loosened gate should pass: exit {gate.Code}: {gate.Stderr}");
        Assert.True(code == 4, $"exit {code}: {stdout}{stderr}");
        Assert.Contains(
            $"{v2}'s passing verdict against production's stable {v1} was computed under another gate rule (max_case_regressions 100, now 0; max_mean_drop 1, now 0); run: glidepath gate {v2} --baseline env:production\n",
            stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_PassUnderTheRuleInForce_Counts()
    {
        using var app = EvalApp.Create();
        var v1 = await app.CreateReleaseAsync();
        await OkAsync(app, "deploy", v1, "--env", "staging");
        await OkAsync(app, "promote", v1, "--env", "production");
        app.EditPrompt(p => p + "\nBe kind.\n");
        var v2 = await app.CreateReleaseAsync();

        var gate = await app.RunAsync("gate", v2, "--baseline", "env:production");
        await OkAsync(app, "deploy", v2, "--env", "staging");
        var (code, stdout, stderr) = await app.RunAsync("promote", v2, "--env", "production", "--reason", "merge");

        Assert.True(gate.Code == 0, gate.Stderr);
        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}");
    }

    // A pull request's own glidepath.yaml sets the bar its gate is judged by: the reports say when it moved the bar.
    [Fact]
    public async Task Gate_RuleLoosenedAgainstTheBaselinesCommit_EveryReportSaysHowTheRuleChanged()
    {
        using var dir = Repo();
        dir.Write("glidepath.yaml", Loosen(dir.Read("glidepath.yaml")));
        var md = dir.File("gate.md");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--report", md, "--format", "json");
        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path);

        Assert.True(json.ExitCode == 0, json.Stderr);
        const string Change = "the gate rule was changed by this change: max_case_regressions 0 → 100, max_mean_drop 0 → 1";
        using var doc = JsonDocument.Parse(json.Stdout);
        var change = doc.RootElement.GetProperty("rule_change");
        Assert.Equal(Change, change.GetProperty("message").GetString());
        Assert.Equal("this_change", change.GetProperty("changed_by").GetString());
        Assert.Equal(0, change.GetProperty("baseline_rule").GetProperty("max_case_regressions").GetInt32());
        Assert.Equal(100, doc.RootElement.GetProperty("rule").GetProperty("max_case_regressions").GetInt32());
        Assert.Contains("warning: " + Change, json.Stderr, StringComparison.Ordinal);
        Assert.Contains($"> ⚠️ **{Change.Replace("max_case_regressions", "max\\_case\\_regressions", StringComparison.Ordinal).Replace("max_mean_drop", "max\\_mean\\_drop", StringComparison.Ordinal)}.**", dir.Read("gate.md"), StringComparison.Ordinal);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("  WARNING: " + Change, text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_RuleAsTheBaselinesCommitHasIt_NoRuleChange()
    {
        using var dir = Repo();
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nBe kind.\n");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json");

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("rule_change").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("dataset_change").ValueKind);
        Assert.DoesNotContain("warning:", json.Stderr, StringComparison.Ordinal);
    }

    private static async Task OkAsync(EvalApp app, params string[] args)
    {
        var (code, stdout, stderr) = await app.RunAsync([.. args, "--reason", "test"]);
        Assert.True(code == 0, $"glidepath {string.Join(' ', args)} exited {code}: {stdout}{stderr}");
    }

    private static TempDir Repo() => TestGit.SampleRepo(".glidepath/\ngate.md\n");
}
