using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// Outside trial ciflow #1: a branch that is only behind main was told "the gate rule / the dataset was changed by this
/// change" for main's edits. The gate compares with the baseline's commit and, through the merge base, says who changed what.
/// </summary>
public sealed class GateForkCliTests
{
    private const string SupportHours = """{"id": "support-hours", "input": {"messages": [{"role": "user", "content": "When is support open?"}], "vars": {"customer_tier": "gold"}}, "expect": {"contains": ["9am"]}}""";

    // pr-tools forks from main and edits only its prompt; afterwards main sets confidence 0.99 and adds a case.
    [Fact]
    public async Task Gate_BranchOnlyBehindTheBaseline_RuleAndDatasetSaidChangedOnTheBaseBranch()
    {
        using var dir = BranchBehindMain();
        var md = dir.File("gate.md");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:main", "--manifest", dir.Path, "--format", "json", "--report", md);

        Assert.True(json.ExitCode is 0 or 1, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var rule = doc.RootElement.GetProperty("rule_change");
        Assert.Equal("base_branch", rule.GetProperty("changed_by").GetString());
        Assert.Equal(
            "the gate rule differs from git:main's: main changed it since this branch forked (confidence 0.95 → 0.99); this change is gated under its own rule (confidence 0.95); merge or rebase main to be gated under main's",
            rule.GetProperty("message").GetString());
        var dataset = doc.RootElement.GetProperty("dataset_change");
        Assert.Equal("base_branch", dataset.GetProperty("changed_by").GetString());
        var message = dataset.GetProperty("message").GetString()!;
        Assert.StartsWith("the dataset differs from git:main's: main changed it since this branch forked (against evals/support.jsonl at the baseline's commit ", message, StringComparison.Ordinal);
        Assert.EndsWith(
            ", 1 case(s) added there and 0 changed (support-hours)); this change is gated on its own dataset, without those cases as main has them; merge or rebase main to be gated on main's",
            message, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("scorer_change").ValueKind);
        Assert.Contains("warning: " + rule.GetProperty("message").GetString() + "\n", json.Stderr, StringComparison.Ordinal);
        var report = dir.Read("gate.md");
        Assert.DoesNotContain("by this change", report, StringComparison.Ordinal);
        Assert.DoesNotContain("in this change", report, StringComparison.Ordinal);
        Assert.Contains("> ⚠️ **the gate rule differs from git:main&#39;s: main changed it since this branch forked \\(confidence 0.95 → 0.99\\)", report, StringComparison.Ordinal);
    }

    // The branch raises max_case_regressions and drops a case; main sets confidence 0.99 and adds a case.
    [Fact]
    public async Task Gate_BranchAndBaselineBothChangedTheEvalSection_SaysWhichSideChangedWhat()
    {
        using var dir = TestGit.SampleRepo(".glidepath/\ngate.md\n");
        TestGit.Run(dir.Path, "branch", "-M", "main");
        TestGit.Run(dir.Path, "checkout", "-q", "-b", "pr-both");
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("max_case_regressions: 0", "max_case_regressions: 100", StringComparison.Ordinal));
        var lines = dir.Read("evals/support.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        dir.Write("evals/support.jsonl", string.Join('\n', lines.Skip(1)) + "\n");
        Commit(dir, "loosen and drop a case");
        TestGit.Run(dir.Path, "checkout", "-q", "main");
        MainMovesOn(dir);
        TestGit.Run(dir.Path, "checkout", "-q", "pr-both");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:main", "--manifest", dir.Path, "--format", "json");

        Assert.True(json.ExitCode is 0 or 1, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var rule = doc.RootElement.GetProperty("rule_change");
        Assert.Equal("both", rule.GetProperty("changed_by").GetString());
        Assert.Equal(
            "the gate rule was changed by this change and on main since this branch forked (this change: max_case_regressions 0 → 100; main: confidence 0.95 → 0.99); this verdict was decided under this change's rule; merge or rebase main to be gated under main's",
            rule.GetProperty("message").GetString());
        var dataset = doc.RootElement.GetProperty("dataset_change");
        Assert.Equal("both", dataset.GetProperty("changed_by").GetString());
        Assert.Contains("2 case(s) removed, 0 changed and 0 added (refund-window-basic, support-hours); this change removed 1 and changed 0 of them, main added 1 and changed 0;",
            dataset.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    // A CI checkout of depth 1 (actions/checkout's default) has no merge base: who changed it cannot be told, and it says how to fetch.
    [Fact]
    public async Task Gate_ShallowCloneWithoutAMergeBase_SaysThisChangeOrTheBaseBranchAndHowToFetchHistory()
    {
        using var origin = BranchBehindMain();
        using var clone = new TempDir();
        TestGit.Run(clone.Path, "clone", "-q", "--depth", "1", "--branch", "pr-tools", "file://" + origin.Path, "app");
        var app = Path.Combine(clone.Path, "app");
        TestGit.Run(app, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:origin/main", "--manifest", app, "--format", "json");

        Assert.True(json.ExitCode is 0 or 1, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var rule = doc.RootElement.GetProperty("rule_change");
        Assert.Equal(JsonValueKind.Null, rule.GetProperty("changed_by").ValueKind);
        Assert.Equal(
            "the gate rule differs from git:origin/main's: confidence 0.99 → 0.95, changed by this change or on origin/main since this branch forked; " +
            "git finds no merge base of HEAD and origin/main, so it cannot tell which (a shallow clone has none: run git fetch --unshallow, or check out with fetch-depth: 0); " +
            "this verdict was decided under this change's rule",
            rule.GetProperty("message").GetString());
        var dataset = doc.RootElement.GetProperty("dataset_change");
        Assert.Equal(JsonValueKind.Null, dataset.GetProperty("changed_by").ValueKind);
        Assert.StartsWith("the dataset differs from git:origin/main's, changed by this change or on origin/main since this branch forked: ", dataset.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("git fetch --unshallow", dataset.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A repository on branch pr-tools, forked from main, one commit of its own (a prompt line); main moved on since.</summary>
    private static TempDir BranchBehindMain()
    {
        var dir = TestGit.SampleRepo(".glidepath/\ngate.md\n");
        TestGit.Run(dir.Path, "branch", "-M", "main");
        TestGit.Run(dir.Path, "checkout", "-q", "-b", "pr-tools");
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nBe kind.\n");
        Commit(dir, "be kind");
        TestGit.Run(dir.Path, "checkout", "-q", "main");
        MainMovesOn(dir);
        TestGit.Run(dir.Path, "checkout", "-q", "pr-tools");
        return dir;
    }

    private static void MainMovesOn(TempDir dir)
    {
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("max_mean_drop: 0.0", "max_mean_drop: 0.0\n    confidence: 0.99", StringComparison.Ordinal));
        dir.Write("evals/support.jsonl", dir.Read("evals/support.jsonl") + SupportHours + "\n");
        Commit(dir, "main: a new case and a stricter confidence");
    }

    // Trial ciflow #9: a change that renames the app printed "v1+… vs v1+…" with no word that these are two apps.
    [Fact]
    public async Task Gate_ChangeRenamesTheApp_NotesTheTwoAppsAndThatNamesArePerApp()
    {
        using var dir = TestGit.SampleRepo(".glidepath/\n");
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("app: support-agent", "app: help-desk", StringComparison.Ordinal));

        var r = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json");

        Assert.True(r.ExitCode is 0 or 1, r.Stderr);
        Assert.Contains("note: the candidate is a release of app 'help-desk' and the baseline of app 'support-agent': this change renames the app", r.Stderr, StringComparison.Ordinal);
    }

    private static void Commit(TempDir dir, string message)
    {
        TestGit.Run(dir.Path, "add", "-A");
        TestGit.Run(dir.Path, "commit", "-qm", message);
    }
}
