using System.Text.Json;
using System.Xml.Linq;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Scorers;
using Glidepath.Tests.Evals.Gate;

namespace Glidepath.Tests.Evals.Reports;

public sealed class ReportFormatTests
{
    private static GateReport Report()
    {
        var cases = GateSimulation.Cases(new Random(1), 1, (1.0, 0.0), (0.0, 1.0), (1.0, 1.0));
        cases[0] = cases[0] with { Candidate = [cases[0].Candidate[0] with { Output = "<script>alert(1)</script> | pipe" }] };
        cases.Add(new GateCaseInput("errored", [GateSimulation.Trial("b", "errored", 0, true)], [GateSimulation.Trial("c", "errored", 0, false, TrialStatus.Error)]));
        return new GateReport
        {
            App = "support-agent",
            RunId = "20260101-000000-abcd",
            CandidateLabel = "v2+bbbbbbbb",
            CandidateId = new string('b', 64),
            BaselineLabel = "v1+aaaaaaaa",
            BaselineId = new string('a', 64),
            DatasetPath = "evals/support.jsonl",
            DatasetSha256 = new string('d', 64),
            ScorerVersion = new string('e', 64),
            Judges = [new JudgeIdentity("anthropic/claude-haiku-4-5", new string('f', 64))],
            Decision = GateEvaluator.Decide(cases, new GateRule()),
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    [Fact]
    public void Markdown_ListsVerdictRegressionImprovementAndErrorsWithEscapedAnswers()
    {
        var md = ReportFormat.Render(Report(), "md");
        Assert.StartsWith("## ⚠️ Glidepath gate: **error**", md, StringComparison.Ordinal);
        Assert.Contains("### Regressed cases (1)", md, StringComparison.Ordinal);
        Assert.Contains("<code>case-0</code>", md, StringComparison.Ordinal);
        Assert.Contains("### Improved cases (1)", md, StringComparison.Ordinal);
        Assert.Contains("`errored` (candidate, trial 1): provider answered 500", md, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", md, StringComparison.Ordinal);
        Assert.Contains("&#124; pipe", md, StringComparison.Ordinal);
        Assert.Contains("judge anthropic/claude-haiku-4-5", md, StringComparison.Ordinal);
    }

    [Fact]
    public void JUnit_OneTestcasePerCaseWithFailureForRegressionAndErrorForErrored()
    {
        var doc = XDocument.Parse(ReportFormat.Render(Report(), "junit"));
        var suite = doc.Root!.Element("testsuite")!;
        Assert.Equal("4", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("errors")!.Value);
        Assert.NotNull(suite.Elements("testcase").Single(t => t.Attribute("name")!.Value == "case-0").Element("failure"));
        Assert.NotNull(suite.Elements("testcase").Single(t => t.Attribute("name")!.Value == "errored").Element("error"));
    }

    [Fact]
    public void Json_CarriesVerdictCountsAndInterval()
    {
        using var doc = JsonDocument.Parse(ReportFormat.Render(Report(), "json"));
        Assert.Equal("error", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("counts").GetProperty("regressed").GetInt32());
        Assert.Equal("regressed", doc.RootElement.GetProperty("cases")[0].GetProperty("change").GetString());
        Assert.True(doc.RootElement.GetProperty("mean_difference").TryGetProperty("low", out _));
    }

    [Fact]
    public void EveryFormat_APartialGate_SaysSoAndWhatItMeans()
    {
        var report = Report() with { Partial = "only the cases tagged <b>shipping</b>" };
        const string meaning = "stored, and it stops promotion until the whole gate passes";

        Assert.Contains($"partial gate (only the cases tagged <b>shipping</b>): {meaning}", ReportFormat.Render(report, "md"), StringComparison.Ordinal);
        Assert.Contains($"partial gate (only the cases tagged &lt;b&gt;shipping&lt;/b&gt;): {meaning}", ReportFormat.Render(report, "html"), StringComparison.Ordinal);
        var property = XDocument.Parse(ReportFormat.Render(report, "junit")).Descendants("property").Single(p => p.Attribute("name")!.Value == "partial");
        Assert.StartsWith("partial gate (", property.Attribute("value")!.Value, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(ReportFormat.Render(report, "json"));
        Assert.Equal("only the cases tagged <b>shipping</b>", json.RootElement.GetProperty("partial").GetString());
        Assert.DoesNotContain("partial", ReportFormat.Render(Report(), "md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IsSelfContainedAndEscapesAnswers()
    {
        var html = ReportFormat.Render(Report(), "html");
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("class=\"regressed\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_UnchangedCase_SaysUnchangedInsteadOfTwoEmptyAnswers()
    {
        var html = ReportFormat.Render(Report(), "html");

        Assert.Contains("<td><code>case-2</code></td><td>same</td><td>1/1</td><td>1/1</td><td></td><td colspan=\"2\" class=\"muted\">unchanged</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<pre></pre>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFileName_PicksTheFormatByExtension()
    {
        Assert.Equal("junit", ReportFormat.FromFileName("gate.xml"));
        Assert.Equal("html", ReportFormat.FromFileName("gate.html"));
        Assert.Equal("json", ReportFormat.FromFileName("gate.json"));
        Assert.Equal("md", ReportFormat.FromFileName("gate.md"));
    }
}
