using System.Text.Json;
using Glidepath.Errors;
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
        Assert.Contains("`errored` (candidate, trial 1 of 1): provider answered 500", md, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", md, StringComparison.Ordinal);
        Assert.Contains("&#124; pipe", md, StringComparison.Ordinal);
        Assert.Contains("judge anthropic/claude-haiku-4-5", md, StringComparison.Ordinal);
    }

    // Trial ci D2: 2,000 cases with 317 regressions wrote 147,433 characters; GitHub refuses a comment over 65,536.
    [Fact]
    public void Markdown_LargeBlockedGate_CappedKeepingVerdictSummaryAndTheFirstRegressionsThenCountsTheRest()
    {
        var rates = Enumerable.Range(0, 2000).Select(i => i % 6 == 0 && i < 6 * 317 ? (1.0, 0.0) : (1.0, 1.0)).ToArray();
        var decision = GateEvaluator.Decide(GateSimulation.Cases(new Random(2), 1, rates), new GateRule());
        var answer = string.Concat(Enumerable.Repeat("The refund window is thirty days from delivery. ", 8));
        var report = Report() with { Decision = decision with { Cases = [.. decision.Cases.Select(c => c with { BaselineOutput = answer, CandidateOutput = answer, CandidateReason = "missing '30 days'" })] } };
        var regressions = report.Decision.Regressions;

        var md = ReportFormat.Render(report, "md");

        Assert.Equal(317, regressions.Count);
        Assert.InRange(md.Length, 50_000, MarkdownReport.MaxChars);
        Assert.StartsWith("## ❌ Glidepath gate: **blocked**", md, StringComparison.Ordinal);
        Assert.Contains("| regressed / improved cases | | 317 / 0 |", md, StringComparison.Ordinal);
        Assert.Contains("### Regressed cases (317)", md, StringComparison.Ordinal);
        var shown = regressions.TakeWhile(c => md.Contains($"<code>{c.CaseId}</code>", StringComparison.Ordinal)).Count();
        Assert.InRange(shown, 10, 316);
        Assert.DoesNotContain($"<code>{regressions[shown].CaseId}</code>", md, StringComparison.Ordinal);
        Assert.Contains($"… and {317 - shown} more regressions: see the JUnit report or `gate --format json`", md, StringComparison.Ordinal);
        Assert.EndsWith(".</sub>\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_ManyErrors_ListsFiftyThenCountsTheRest()
    {
        var errors = Enumerable.Range(0, 76).Select(i => new GateError("candidate", $"case-{i}", 0, "provider answered 500")).ToList();
        var report = Report() with { Decision = Report().Decision with { Errors = errors } };

        var md = ReportFormat.Render(report, "md");

        Assert.Contains("`case-49` (candidate, trial 1 of 1)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("`case-50` (candidate", md, StringComparison.Ordinal);
        Assert.Contains("… and 26 more errors: see the JUnit report or `gate --format json`", md, StringComparison.Ordinal);
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

    // Outside trial gate #1 read through a CI test tab: the pass that could not have blocked five collapsed cases said nothing
    // in JUnit (a suite of 200 passed testcases). The warning is a skipped testcase, a property and system-err: still a pass.
    [Fact]
    public void JUnit_PassThatCouldNotHaveBlocked_CarriesTheWarningAsASkippedTestcaseAndStaysAPass()
    {
        var rates = Enumerable.Repeat((1.0, 0.0), 5).Concat(Enumerable.Repeat((1.0, 1.0), 195)).ToArray();
        var decision = GateEvaluator.Decide(GateSimulation.Cases(new Random(1), 3, rates), new GateRule());
        var blind = Assert.IsType<CannotBlock>(decision.CannotBlock);

        var suite = XDocument.Parse(ReportFormat.Render(Report() with { Decision = decision }, "junit")).Root!.Element("testsuite")!;

        Assert.Equal(GateResult.Pass, decision.Result);
        Assert.Equal("pass", suite.Descendants("property").Single(p => p.Attribute("name")!.Value == "verdict").Attribute("value")!.Value);
        Assert.Equal(("201", "0", "0", "1"), (suite.Attribute("tests")!.Value, suite.Attribute("failures")!.Value, suite.Attribute("errors")!.Value, suite.Attribute("skipped")!.Value));
        Assert.Empty(suite.Descendants("failure"));
        Assert.Empty(suite.Descendants("error"));
        var warning = suite.Elements("testcase").Single(t => t.Element("skipped") is not null);
        Assert.Equal("glidepath.support-agent.warnings", warning.Attribute("classname")!.Value);
        Assert.Equal("gate warning (cannot_block): this gate could not have blocked the 5 case(s) that scored lower on the candidate", warning.Attribute("name")!.Value);
        Assert.Equal(blind.Message, warning.Element("skipped")!.Attribute("message")!.Value);
        Assert.Equal(blind.Message + ".\n\nA warning, not a failure: the verdict is pass.", warning.Element("skipped")!.Value);
        Assert.Equal(blind.Message, suite.Descendants("property").Single(p => p.Attribute("name")!.Value == "cannot_block").Attribute("value")!.Value);
        Assert.Equal("warning: " + blind.Message + "\n", suite.Element("system-err")!.Value);
    }

    // The always_failing warning (cases failing every trial on both sides cannot show a regression) reached the JSON,
    // markdown and HTML reports but not JUnit, the one a CI test tab reads.
    [Fact]
    public void JUnit_AlwaysFailingCases_AWarningTestcaseAndProperty()
    {
        var failing = new AlwaysFailing("2 case(s) failed on every trial on both sides (a, b): they cannot show a regression; check their expectations (glidepath eval show r1)", 2, ["a", "b"]);
        var report = Report() with { Decision = Report().Decision with { AlwaysFailing = failing } };

        var suite = XDocument.Parse(ReportFormat.Render(report, "junit")).Root!.Element("testsuite")!;

        var warning = suite.Elements("testcase").Single(t => t.Element("skipped") is not null);
        Assert.Equal("gate warning (always_failing): 2 case(s) failed on every trial on both sides: they cannot show a regression", warning.Attribute("name")!.Value);
        Assert.Equal(failing.Message, suite.Descendants("property").Single(p => p.Attribute("name")!.Value == "always_failing").Attribute("value")!.Value);
        Assert.Contains("warning: " + failing.Message + "\n", suite.Element("system-err")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void JUnit_DatasetAndRuleChanged_EachAWarningTestcaseAndProperty()
    {
        var change = new DatasetChange("the dataset was changed by this change: against evals/support.jsonl at the baseline's commit 1f0c2d3e4a5b, 2 case(s) removed, 1 changed and 0 added (a, b, c); this verdict does not gate the removed cases, nor the changed ones as the baseline had them", 2, 1, 0, [("a", "removed"), ("b", "removed"), ("c", "changed")]) { ChangedBy = ChangedBy.ThisChange };
        var report = Report() with
        {
            DatasetChange = change,
            Rule = new VerdictRule(100, 0, 0.95, 1, 20240611, 2000),
            RuleChange = new RuleChange("the gate rule was changed by this change: max_case_regressions 0 → 100", ChangedBy.ThisChange, new VerdictRule(0, 0, 0.95, 1, 20240611, 2000)),
        };

        var suite = XDocument.Parse(ReportFormat.Render(report, "junit")).Root!.Element("testsuite")!;

        var warnings = suite.Elements("testcase").Where(t => t.Element("skipped") is not null).ToList();
        Assert.Equal(
            ["gate warning (rule_change): the gate rule was changed by this change: max_case_regressions 0 → 100", "gate warning (dataset_change): the dataset was changed by this change: 2 case(s) removed, 1 changed"],
            warnings.Select(t => t.Attribute("name")!.Value));
        Assert.StartsWith(change.Message + ".\n\nReview the dataset in this change. A warning, not a failure: the verdict is error.", warnings[1].Element("skipped")!.Value, StringComparison.Ordinal);
        Assert.Equal(("6", "2"), (suite.Attribute("tests")!.Value, suite.Attribute("skipped")!.Value));
        Assert.Equal(change.Message, suite.Descendants("property").Single(p => p.Attribute("name")!.Value == "dataset_change").Attribute("value")!.Value);
        Assert.Equal(report.RuleChange.Message, suite.Descendants("property").Single(p => p.Attribute("name")!.Value == "rule_change").Attribute("value")!.Value);
        Assert.Contains("warning: " + change.Message + "\n", suite.Element("system-err")!.Value, StringComparison.Ordinal);
    }

    // Outside trial ciflow #2: a scorer change is warned in every format, as rule_change is; one the base branch made
    // since the fork asks no review of this change.
    [Theory]
    [InlineData(ChangedBy.ThisChange, "in this change.")]
    [InlineData(ChangedBy.BaseBranch, null)]
    public void EveryFormat_ScorerChange_AWarningAtTheTopWithItsAction(ChangedBy by, string? action)
    {
        var change = new ScorerChange("eval.scorers were changed here: contains ignore_case (none) → true", by, null,
            [new ScorerDifference("contains", "option", "ignore_case", null, "true", by)]);
        var report = Report() with { ScorerChange = change };

        var md = ReportFormat.Render(report, "md");
        var html = ReportFormat.Render(report, "html");
        using var json = JsonDocument.Parse(ReportFormat.Render(report, "json"));
        var junit = XDocument.Parse(ReportFormat.Render(report, "junit")).Root!.Element("testsuite")!;

        Assert.Contains("> ⚠️ **eval.scorers were changed here: contains ignore\\_case \\(none\\) → true.**", md, StringComparison.Ordinal);
        Assert.True(md.IndexOf("eval.scorers were changed here", StringComparison.Ordinal) < md.IndexOf("| pass rate", StringComparison.Ordinal), md);
        Assert.Contains("<p class=\"partial\"><b>eval.scorers were changed here: contains ignore_case (none) → true.</b>", html, StringComparison.Ordinal);
        Assert.Equal(change.Message, json.RootElement.GetProperty("scorer_change").GetProperty("message").GetString());
        Assert.Equal(by == ChangedBy.ThisChange ? "this_change" : "base_branch", json.RootElement.GetProperty("scorer_change").GetProperty("changed_by").GetString());
        var skipped = junit.Elements("testcase").Select(t => t.Element("skipped")).OfType<XElement>().Single();
        Assert.StartsWith("gate warning (scorer_change): eval.scorers ", skipped.Parent!.Attribute("name")!.Value, StringComparison.Ordinal);
        if (action is null)
        {
            Assert.DoesNotContain("in this change", md + html + skipped.Value, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(action, md, StringComparison.Ordinal);
            Assert.Contains(action, html, StringComparison.Ordinal);
            Assert.Contains(action, skipped.Value, StringComparison.Ordinal);
        }
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

        Assert.Contains($"partial gate \\(only the cases tagged &lt;b&gt;shipping&lt;/b&gt;\\): {meaning}", ReportFormat.Render(report, "md"), StringComparison.Ordinal);
        Assert.Contains($"partial gate (only the cases tagged &lt;b&gt;shipping&lt;/b&gt;): {meaning}", ReportFormat.Render(report, "html"), StringComparison.Ordinal);
        var property = XDocument.Parse(ReportFormat.Render(report, "junit")).Descendants("property").Single(p => p.Attribute("name")!.Value == "partial");
        Assert.StartsWith("partial gate (", property.Attribute("value")!.Value, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(ReportFormat.Render(report, "json"));
        Assert.Equal("only the cases tagged <b>shipping</b>", json.RootElement.GetProperty("partial").GetString());
        Assert.DoesNotContain("partial", ReportFormat.Render(Report(), "md"), StringComparison.Ordinal);
    }

    // Values a pull request's dataset, a model or a provider chose, in the comment a bot posts: none may become markup.
    // (Inside the <details><summary> line, an HTML block, and inside a code span, markdown is not read: literal there.)
    private static GateReport Hostile()
    {
        const string id = "pwn\n\nssh-ed25519 AAAA attacker\n`x` <img src=x> [PWNED](https://evil.example) @everyone";
        var failed = GateSimulation.Trial("c", id, 0, false) with
        {
            Output = "![](http://127.0.0.1:9/i.png) [click](https://evil.example)\u0001 *bold*",
            Scores = [new() { Scorer = "contains", Passed = false, Reason = "missing: \"</details> <img src=x> [login](https://evil.example)\"" }],
        };
        var error = GateSimulation.Trial("c", "err`or", 0, false, TrialStatus.Error) with { Error = "bad </details> ![x](http://x/p.png) [click me](https://evil) @everyone see #12 www.evil.example\u0001" };
        var decision = GateEvaluator.Decide(
            [new GateCaseInput(id, [GateSimulation.Trial("b", id, 0, true)], [failed]), new GateCaseInput("err`or", [GateSimulation.Trial("b", "err`or", 0, true)], [error])],
            new GateRule());

        // A reason can carry the manifest's dataset path (GateService's "no case of … has the tag …").
        return Report() with
        {
            DatasetPath = "evals/`x` [a](b).jsonl",
            Decision = decision with { Reasons = ["no case of ![a](https://evil.example/p.png) has the tag smoke", .. decision.Reasons] },
        };
    }

    [Fact]
    public void Markdown_HostileValues_StayText()
    {
        var md = ReportFormat.Render(Hostile(), "md");

        Assert.DoesNotContain("<img", md, StringComparison.Ordinal);
        Assert.DoesNotContain("</details> ", md, StringComparison.Ordinal);
        Assert.DoesNotContain("@everyone", md, StringComparison.Ordinal);
        Assert.DoesNotContain("://", md, StringComparison.Ordinal);
        Assert.DoesNotContain("#1", md, StringComparison.Ordinal);
        Assert.DoesNotContain("\nssh-ed25519", md, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", md, StringComparison.Ordinal);
        Assert.Contains("<code>pwn  ssh-ed25519 AAAA attacker `x` &lt;img src=x&gt; [PWNED](https:/\u200B/evil.example) @\u200Beveryone</code>", md, StringComparison.Ordinal);
        Assert.Contains("- `err'or` (candidate, trial 1 of 1): bad &lt;/details&gt; \\!\\[x\\]\\(http:/\u200B/x/p.png\\) \\[click me\\]\\(https:/\u200B/evil\\) @\u200Beveryone see \\#\u200B12 www\u200B.evil.example", md, StringComparison.Ordinal);
        Assert.Contains("on `evals/'x' [a](b).jsonl`", md, StringComparison.Ordinal);
        Assert.Contains("Candidate: contains: missing: &quot;&lt;/details&gt; &lt;img src=x&gt; \\[login\\]\\(https:/\u200B/evil.example\\)&quot;", md, StringComparison.Ordinal);
        Assert.Contains("|\\!\\[\\]\\(http:/\u200B/127.0.0.1:9/i.png\\) \\[click\\]\\(https:/\u200B/evil.example\\)", md, StringComparison.Ordinal);
        Assert.Contains("- no case of \\!\\[a\\]\\(https:/\u200B/evil.example/p.png\\) has the tag smoke", md, StringComparison.Ordinal);
    }

    // A control character in a model's answer made the JUnit report fail (exit 3, no report): it is written as \uXXXX.
    [Fact]
    public void JUnit_ControlCharactersInAnswers_WrittenAsEscapes_TheDocumentParses()
    {
        var xml = ReportFormat.Render(Hostile(), "junit");

        var doc = XDocument.Parse(xml);
        Assert.Contains("\\u0001", doc.Descendants("failure").Single().Value, StringComparison.Ordinal);
        Assert.Contains("www.evil.example\\u0001", doc.Descendants("error").Single().Value, StringComparison.Ordinal);
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
        Assert.Equal("md", ReportFormat.FromFileName("/dev/stdout"));
        Assert.Equal("junit", ReportFormat.FromFileName("gate.junit"));
    }

    // An ending that names no format was written as markdown without a word.
    [Fact]
    public void FromFileName_AnotherEnding_IsBadInputNamingTheChoices()
    {
        var ex = Assert.Throws<BadInputException>(() => ReportFormat.FromFileName("gate.txt"));

        Assert.Equal("--report gate.txt: cannot tell the report's format from '.txt'; expected a file ending in .md, .xml (JUnit), .json or .html, or --report-format md|junit|json|html", ex.Message);
    }

    [Theory]
    [InlineData(0.0123, "0.0123")]
    [InlineData(0.00001, "< 0.0001")]
    [InlineData(0.0001, "0.0001")]
    public void PValueText_BelowFourDecimals_IsLessThanNotZero(double p, string shown) =>
        Assert.Equal(shown, PValueText.Of(p));
}
