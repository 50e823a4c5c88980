using System.Text.Json;
using System.Xml.Linq;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// Outside trial gate #1 and #4: a pass that could not have blocked the cases it broke (too few trials), and a pass on a
/// dataset that dropped or rewrote cases against the baseline's commit, say so loudly in every report.
/// </summary>
public sealed class GateBlindSpotCliTests
{
    // Without its price-match policy the sample fails price-match and price-match-window in every trial: 3/3 → 0/3 twice.
    [Fact]
    public async Task Gate_TwoCasesCollapseAtThreeTrials_PassesWithCannotBlockInEveryReport()
    {
        using var dir = Repo(trials: 3);
        dir.Write("prompts/system.md", string.Join('\n', dir.Read("prompts/system.md").Split('\n').Where(l => !l.Contains("Price match:", StringComparison.Ordinal))));
        var (md, html) = (dir.File("gate.md"), dir.File("gate.html"));

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--no-cache", "--format", "json", "--report", md);
        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--report", html, "--report-format", "html");

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
        var blind = doc.RootElement.GetProperty("cannot_block");
        Assert.Equal(2, blind.GetProperty("cases_lower").GetInt32());
        Assert.Equal(new[] { "price-match", "price-match-window" }, blind.GetProperty("examples").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        var message = blind.GetProperty("message").GetString()!;
        Assert.StartsWith("this gate could not have blocked the 2 case(s) that scored lower on the candidate", message, StringComparison.Ordinal);
        Assert.Contains("warning: " + message, json.Stderr, StringComparison.Ordinal);
        var report = dir.Read("gate.md");
        Assert.Contains("> ⚠️ **this gate could not have blocked the 2 case\\(s\\)", report, StringComparison.Ordinal);
        Assert.Contains("glidepath gate --plan shows how many a given drop needs; then run glidepath gate --trials N, or raise eval.trials.**", report, StringComparison.Ordinal);
        Assert.True(report.IndexOf("could not have blocked", StringComparison.Ordinal) < report.IndexOf("the baseline is held", StringComparison.Ordinal), report);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("  WARNING: " + message, text.Stdout, StringComparison.Ordinal);
        Assert.Contains("this gate could not have blocked the 2 case(s)", dir.Read("gate.html"), StringComparison.Ordinal);
    }

    // Trial gatejudge M4: a case that collapsed but is not significant after the correction read "same" everywhere. At 4
    // trials each of the two cases that lose the price-match policy goes 4/4 → 0/4: p = 1/70 ≈ 0.014 alone, but the
    // correction charges the two together (2/70 > 0.025), so neither is a regression. Every report lists them now.
    [Fact]
    public async Task Gate_TwoDropsNotSignificantAfterCorrection_ListedInTextJsonAndMarkdown_VerdictPass()
    {
        using var dir = Repo(trials: 4);
        dir.Write("prompts/system.md", string.Join('\n', dir.Read("prompts/system.md").Split('\n').Where(l => !l.Contains("Price match:", StringComparison.Ordinal))));
        var md = dir.File("gate.md");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--no-cache", "--format", "json", "--report", md);
        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path);

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
        var drops = doc.RootElement.GetProperty("drops_not_significant");
        Assert.Equal(2, drops.GetProperty("cases").GetInt32());
        var largest = drops.GetProperty("largest").EnumerateArray().ToList();
        Assert.Equal(new[] { "price-match", "price-match-window" }, largest.Select(c => c.GetProperty("case_id").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(largest, c => Assert.Equal((4, 0, Math.Round(1.0 / 70, 9), Math.Round(2.0 / 70, 9)), (c.GetProperty("baseline_passes").GetInt32(), c.GetProperty("candidate_passes").GetInt32(),
            Math.Round(c.GetProperty("p_value").GetDouble(), 9), Math.Round(c.GetProperty("adjusted_p_value").GetDouble(), 9))));
        Assert.All(doc.RootElement.GetProperty("cases").EnumerateArray(), c => Assert.NotEqual("regressed", c.GetProperty("change").GetString()));
        Assert.Contains("### Largest drops not significant after correction (2)", dir.Read("gate.md"), StringComparison.Ordinal);
        Assert.Contains("| price-match | 4/4 | 0/4 | 0.0143 | 0.0286 |", dir.Read("gate.md"), StringComparison.Ordinal);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("Largest drops not significant after correction: 2 case(s) scored lower on the candidate with p at or below 0.025 on their own", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("  price-match: baseline 4/4 → candidate 0/4 (p = 0.0143, adjusted 0.0286)", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_NoCaseDrops_NoDropsNotSignificantInTextOrJson()
    {
        using var dir = Repo(trials: 4);
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nBe brief.\n");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--no-cache", "--format", "json");
        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path);

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("drops_not_significant").ValueKind);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("Gate PASS", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not significant after correction", text.Stdout, StringComparison.Ordinal);
    }

    // The same trial read through a CI test tab (GitLab and GitHub's JUnit viewers show a skipped testcase's text, not a
    // passed one's or the suite's): the JUnit report carried no word of it until 2026-12-06.
    [Fact]
    public async Task Gate_TwoCasesCollapseAtThreeTrials_JUnitReportCarriesTheWarningAndStaysAPass()
    {
        using var dir = Repo(trials: 3);
        dir.Write("prompts/system.md", string.Join('\n', dir.Read("prompts/system.md").Split('\n').Where(l => !l.Contains("Price match:", StringComparison.Ordinal))));

        var run = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--no-cache", "--report", dir.File("gate.xml"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var suite = XDocument.Parse(dir.Read("gate.xml")).Root!.Element("testsuite")!;
        Assert.Equal(("0", "0", "1"), (suite.Attribute("failures")!.Value, suite.Attribute("errors")!.Value, suite.Attribute("skipped")!.Value));
        Assert.Empty(suite.Descendants("failure"));
        var skipped = suite.Elements("testcase").Select(t => t.Element("skipped")).OfType<XElement>().Single();
        Assert.Equal("gate warning (cannot_block): this gate could not have blocked the 2 case(s) that scored lower on the candidate", skipped.Parent!.Attribute("name")!.Value);
        Assert.StartsWith("this gate could not have blocked the 2 case(s) that scored lower on the candidate", skipped.Value, StringComparison.Ordinal);
        Assert.EndsWith("A warning, not a failure: the verdict is pass.", skipped.Value, StringComparison.Ordinal);
        Assert.Contains("warning: this gate could not have blocked the 2 case(s)", suite.Element("system-err")!.Value, StringComparison.Ordinal);
    }

    // The change drops two cases and rewrites a third against the dataset of the baseline's commit; it adds one.
    [Fact]
    public async Task Gate_CasesRemovedAndChangedAgainstTheBaselinesCommit_EveryReportSaysSo()
    {
        using var dir = Repo(trials: 1);
        var lines = dir.Read("evals/support.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var ids = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
        var rewritten = JsonDocument.Parse(lines[2]).RootElement.GetProperty("input").GetProperty("messages")[0].GetProperty("content").GetString()!;
        lines[2] = lines[2].Replace(rewritten, rewritten + " Please.", StringComparison.Ordinal);
        lines.Add(lines[5].Replace($"\"{ids[5]}\"", "\"added-case\"", StringComparison.Ordinal));
        lines.RemoveRange(0, 2);
        dir.Write("evals/support.jsonl", string.Join('\n', lines) + "\n");
        var md = dir.File("gate.md");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json", "--report", md);
        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path);

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var change = doc.RootElement.GetProperty("dataset_change");
        Assert.Equal((2, 1, 1), (change.GetProperty("removed").GetInt32(), change.GetProperty("changed").GetInt32(), change.GetProperty("added").GetInt32()));
        Assert.Equal(
            new[] { (ids[0], "removed"), (ids[1], "removed"), (ids[2], "changed") },
            change.GetProperty("examples").EnumerateArray().Select(e => (e.GetProperty("case_id").GetString()!, e.GetProperty("change").GetString()!)));
        var message = change.GetProperty("message").GetString()!;
        Assert.StartsWith("the dataset was changed by this change: against evals/support.jsonl at the baseline's commit ", message, StringComparison.Ordinal);
        Assert.Equal("this_change", change.GetProperty("changed_by").GetString());
        Assert.Contains("2 case(s) removed, 1 changed and 1 added", message, StringComparison.Ordinal);
        Assert.Contains("warning: " + message, json.Stderr, StringComparison.Ordinal);
        Assert.Contains("> ⚠️ **the dataset was changed by this change", dir.Read("gate.md"), StringComparison.Ordinal);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("  WARNING: " + message, text.Stdout, StringComparison.Ordinal);
    }

    // Key order and spacing are not content; a case only added is gated, so it is no warning either.
    [Fact]
    public async Task Gate_CasesReformattedAndOneAdded_NoDatasetChange()
    {
        using var dir = Repo(trials: 1);
        var lines = dir.Read("evals/support.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        var reordered = JsonDocument.Parse(lines[0]).RootElement.EnumerateObject().Reverse().Select(p => $"\"{p.Name}\" : {p.Value.GetRawText()}");
        lines[0] = "{ " + string.Join(" , ", reordered) + " }";
        lines.Add(lines[3].Replace(JsonDocument.Parse(lines[3]).RootElement.GetProperty("id").GetRawText(), "\"added-case\"", StringComparison.Ordinal));
        dir.Write("evals/support.jsonl", string.Join('\n', lines) + "\n");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json");

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("dataset_change").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("cannot_block").ValueKind);
        Assert.DoesNotContain("warning:", json.Stderr, StringComparison.Ordinal);
    }

    // Outside trial author #1: an expectation no answer meets (a promptfoo template kept as text) fails on both sides for
    // good; the gate passes without blocking on it, but every report names it.
    [Fact]
    public async Task Gate_ACaseFailingEveryTrialOnBothSides_EveryReportNamesIt_VerdictUnchanged()
    {
        using var dir = Repo(trials: 2);
        var lines = dir.Read("evals/support.jsonl").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        lines[0] = lines[0].Replace("\"contains\": [\"30 days\"]", "\"contains\": [\"{{expected}}\"]", StringComparison.Ordinal);
        dir.Write("evals/support.jsonl", string.Join('\n', lines) + "\n");
        TestGit.Run(dir.Path, "commit", "-qam", "a broken expectation");
        dir.Write("prompts/system.md", dir.Read("prompts/system.md") + "\nBe brief.\n");
        var (md, html) = (dir.File("gate.md"), dir.File("gate.html"));

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json", "--report", md);
        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--report", html, "--report-format", "html");

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
        var failing = doc.RootElement.GetProperty("always_failing");
        Assert.Equal(1, failing.GetProperty("cases").GetInt32());
        Assert.Equal(new[] { "refund-window-basic" }, failing.GetProperty("examples").EnumerateArray().Select(e => e.GetString()!));
        var message = failing.GetProperty("message").GetString()!;
        var run = doc.RootElement.GetProperty("run").GetString()!;
        Assert.Equal($"1 case(s) failed on every trial on both sides (refund-window-basic): they cannot show a regression; check their expectations (glidepath eval show {run} lists each failed trial with its answer and why it failed)", message);
        Assert.Contains("warning: " + message, json.Stderr, StringComparison.Ordinal);
        var report = dir.Read("gate.md");
        Assert.Contains("> ⚠️ **1 case\\(s\\) failed on every trial on both sides", report, StringComparison.Ordinal);
        Assert.True(report.IndexOf("failed on every trial", StringComparison.Ordinal) < report.IndexOf("the baseline is held", StringComparison.Ordinal), report);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("  WARNING: 1 case(s) failed on every trial on both sides (refund-window-basic)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 case(s) failed on every trial on both sides", dir.Read("gate.html"), StringComparison.Ordinal);
    }

    // The sample app committed in a new repository, its sim model without latency, at the given eval.trials.
    private static TempDir Repo(int trials)
    {
        var dir = TempDir.WithSample();
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml")
            .Replace("  trials: 1\n", $"  trials: {trials}\n", StringComparison.Ordinal)
            .Replace("parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }", "parameters: { temperature: 0.2, max_tokens: 400, seed: 7 }\n    options: { latency_scale: 0 }", StringComparison.Ordinal));
        dir.Write(".gitignore", ".glidepath/\ngate.md\ngate.html\ngate.xml\n");
        TestGit.Run(dir.Path, "init", "-q");
        TestGit.Run(dir.Path, "add", "-A");
        TestGit.Run(dir.Path, "commit", "-qm", "sample");
        return dir;
    }
}
