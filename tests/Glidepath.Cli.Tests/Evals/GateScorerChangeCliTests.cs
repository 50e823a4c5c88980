using System.Text.Json;
using System.Xml.Linq;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// Outside trial ciflow #2: adding <c>ignore_case: true</c> to <c>contains</c> turned a block into a pass with no word of it,
/// while rule and dataset changes were warned. A scorer change is warned as loudly, in every report.
/// </summary>
public sealed class GateScorerChangeCliTests
{
    private const string Change = "eval.scorers were changed by this change: contains ignore_case (none) → true";

    [Fact]
    public async Task Gate_ScorerOptionAddedByThisChange_ScorerChangeInJsonStderrAndMarkdown()
    {
        using var dir = IgnoreCaseAdded();
        var md = dir.File("gate.md");

        var json = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--format", "json", "--report", md);

        Assert.True(json.ExitCode == 0, json.Stderr);
        using var doc = JsonDocument.Parse(json.Stdout);
        var change = doc.RootElement.GetProperty("scorer_change");
        Assert.Equal(Change, change.GetProperty("message").GetString());
        Assert.Equal("this_change", change.GetProperty("changed_by").GetString());
        Assert.NotEqual(doc.RootElement.GetProperty("scorer_version").GetString(), change.GetProperty("baseline_scorer_version").GetString());
        var only = Assert.Single(change.GetProperty("changes").EnumerateArray().ToList());
        Assert.Equal(
            ("contains", "option", "ignore_case", JsonValueKind.Null, "true", "this_change"),
            (only.GetProperty("scorer").GetString(), only.GetProperty("change").GetString(), only.GetProperty("name").GetString(),
             only.GetProperty("baseline").ValueKind, only.GetProperty("candidate").GetString(), only.GetProperty("changed_by").GetString()));
        Assert.Contains($"warning: {Change}; this verdict was scored with the changed scorers\n", json.Stderr, StringComparison.Ordinal);
        Assert.Contains(
            "> ⚠️ **eval.scorers were changed by this change: contains ignore\\_case \\(none\\) → true.** This verdict was scored with the changed scorers: review eval.scorers \\(and the files they read\\) in this change.",
            dir.Read("gate.md"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_ScorerOptionAddedByThisChange_WarningLineAndJUnitSkippedTestcase()
    {
        using var dir = IgnoreCaseAdded();

        var text = await CliRunner.RunAsync("gate", "--baseline", "git:HEAD", "--manifest", dir.Path, "--report", dir.File("gate.xml"));

        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains($"  WARNING: {Change}; this verdict was scored with the changed scorers\n", text.Stdout, StringComparison.Ordinal);
        var suite = XDocument.Parse(dir.Read("gate.xml")).Root!.Element("testsuite")!;
        var skipped = suite.Elements("testcase").Select(t => t.Element("skipped")).OfType<XElement>().Single();
        Assert.Equal("gate warning (scorer_change): eval.scorers were changed by this change: contains", skipped.Parent!.Attribute("name")!.Value);
        Assert.Equal(Change, suite.Descendants("property").Single(p => p.Attribute("name")!.Value == "scorer_change").Attribute("value")!.Value);
        Assert.Equal("0", suite.Attribute("failures")!.Value);
    }

    private static TempDir IgnoreCaseAdded()
    {
        var dir = TestGit.SampleRepo(".glidepath/\ngate.md\ngate.xml\n");
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("- { type: contains }", "- { type: contains, ignore_case: true }", StringComparison.Ordinal));
        return dir;
    }
}
