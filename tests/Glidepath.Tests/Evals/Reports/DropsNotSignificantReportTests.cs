using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Tests.Evals.Gate;

namespace Glidepath.Tests.Evals.Reports;

/// <summary>
/// Trial gatejudge M4: a case that collapsed but is not significant after the correction is listed in the pull-request
/// comment, the JSON and the HTML page; each case's <c>change</c> stays <c>same</c>, and a gate with no such case has none.
/// </summary>
public sealed class DropsNotSignificantReportTests
{
    private static readonly GateRule Rule = new() { MaxCaseRegressions = 0, MaxMeanDrop = 0, Confidence = 0.95 };

    [Fact]
    public void Markdown_ADropNotSignificant_ListedInItsOwnSectionBeforeTheCaseLists()
    {
        var md = MarkdownReport.Render(Report(dropTo: 1));

        Assert.Contains("### Largest drops not significant after correction (1)", md, StringComparison.Ordinal);
        Assert.Contains("1 case\\(s\\) scored lower on the candidate with p at or below 0.025 on their own, but not after the correction over 61 tested case\\(s\\): not regressions, and the verdict does not count them.", md, StringComparison.Ordinal);
        Assert.Matches(@"\n\| case-0 \| 8/10 \| 1/10 \| 0\.00\d+ \| 0\.0[2-9]\d* \|\n", md);
        Assert.True(md.IndexOf("Largest drops", StringComparison.Ordinal) < md.IndexOf("<sub>Rule:", StringComparison.Ordinal), md);
    }

    [Fact]
    public void Markdown_NoSuchDrop_NoSection()
    {
        Assert.DoesNotContain("not significant after correction", MarkdownReport.Render(Report(dropTo: 8)), StringComparison.Ordinal);
    }

    // A case id is the dataset's text: in the table it is text, and a '|' cannot end its cell.
    [Fact]
    public void Markdown_CaseIdWithMarkup_EscapedInTheTable()
    {
        var report = Report(dropTo: 1, firstId: "a|b*@x");

        var md = MarkdownReport.Render(report);

        Assert.Contains("| a&#124;b\\*@\u200Bx | 8/10 | 1/10 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_ADropNotSignificant_ItsOwnFieldAndTheCaseStaysSame()
    {
        using var doc = JsonDocument.Parse(JsonReport.Render(Report(dropTo: 1)));

        var drops = doc.RootElement.GetProperty("drops_not_significant");
        Assert.Equal(1, drops.GetProperty("cases").GetInt32());
        Assert.Equal(0.025, drops.GetProperty("family_alpha").GetDouble());
        Assert.True(drops.GetProperty("expected_by_chance").GetDouble() > 0);
        Assert.StartsWith("1 case(s) scored lower on the candidate", drops.GetProperty("message").GetString(), StringComparison.Ordinal);
        var largest = Assert.Single(drops.GetProperty("largest").EnumerateArray().ToList());
        Assert.Equal(("case-0", 8, 10, 1, 10), (largest.GetProperty("case_id").GetString(), largest.GetProperty("baseline_passes").GetInt32(),
            largest.GetProperty("baseline_trials").GetInt32(), largest.GetProperty("candidate_passes").GetInt32(), largest.GetProperty("candidate_trials").GetInt32()));
        var (p, adjusted) = (largest.GetProperty("p_value").GetDouble(), largest.GetProperty("adjusted_p_value").GetDouble());
        Assert.True(p <= 0.025 && adjusted > 0.025, $"p {p}, adjusted {adjusted}");
        var same = doc.RootElement.GetProperty("cases")[0];
        Assert.Equal(("case-0", "same"), (same.GetProperty("case_id").GetString(), same.GetProperty("change").GetString()));
        Assert.Equal("pass", doc.RootElement.GetProperty("verdict").GetString());
    }

    [Fact]
    public void Json_NoSuchDrop_Null()
    {
        using var doc = JsonDocument.Parse(JsonReport.Render(Report(dropTo: 8)));

        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("drops_not_significant").ValueKind);
    }

    [Fact]
    public void Html_ADropNotSignificant_Listed()
    {
        var html = HtmlReport.Render(Report(dropTo: 1));

        Assert.Contains("<h2>Largest drops not significant after correction (1)</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<li>case-0: baseline 8/10 → candidate 1/10 (p = ", html, StringComparison.Ordinal);
    }

    // case-0 goes 8/10 → dropTo/10 beside 60 cases passing 5 of 10 trials on both sides (the correction charges them all).
    private static GateReport Report(int dropTo, string firstId = "case-0")
    {
        List<GateCaseInput> cases = [Case(firstId, 8, dropTo), .. Enumerable.Range(1, 60).Select(i => Case($"case-{i}", 5, 5))];
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
            Decision = GateEvaluator.Decide(cases, Rule),
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    private static GateCaseInput Case(string id, int baselinePasses, int candidatePasses) => new(id,
        [.. Enumerable.Range(0, 10).Select(t => GateSimulation.Trial("b", id, t, t < baselinePasses))],
        [.. Enumerable.Range(0, 10).Select(t => GateSimulation.Trial("c", id, t, t < candidatePasses))]);
}
