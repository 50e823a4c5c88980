using System.Text.Json;
using System.Xml.Linq;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Tests.Evals.Gate;

namespace Glidepath.Tests.Evals.Reports;

/// <summary>
/// Trial gatejudge2 LOW 3, 5 and 6 in the reports: trial numbers said as "trial N of M" beside JSON's 0-based index, the
/// cost lines the text table has, and the cases whose every trial errored listed before the errors.
/// </summary>
public sealed class GateErrorSummaryReportTests
{
    // c0005 errors on all 3 trials of both sides (a judge that cannot grade it); c0017 once, on the candidate's trial 2.
    private static GateReport Report(IReadOnlyList<RunSummary>? summaries = null)
    {
        List<TrialResult> Side(string release, string caseId, Func<int, bool> errored) =>
            Enumerable.Range(0, 3).Select(t => GateSimulation.Trial(release, caseId, t, true, errored(t) ? TrialStatus.Error : null)).ToList();
        List<GateCaseInput> cases =
        [
            new("c0001", Side("b", "c0001", _ => false), Side("c", "c0001", _ => false)),
            new("c0005", Side("b", "c0005", _ => true), Side("c", "c0005", _ => true)),
            new("c0017", Side("b", "c0017", _ => false), Side("c", "c0017", t => t == 1)),
        ];
        return new GateReport
        {
            App = "support-agent",
            RunId = "20260101-000000-abcd",
            CandidateLabel = "v2",
            CandidateId = "c",
            BaselineLabel = "v1",
            BaselineId = "b",
            DatasetPath = "evals/support.jsonl",
            DatasetSha256 = new string('d', 64),
            ScorerVersion = new string('e', 64),
            Decision = GateEvaluator.Decide(cases, new GateRule()),
            CreatedAt = DateTimeOffset.UnixEpoch,
            Summaries = summaries ?? [],
        };
    }

    private static RunSummary Summary(string id, double? cost, int judgeCalls, double? judgeCost) => new()
    {
        ReleaseId = id, Cases = 3, Trials = 9, Passed = 9, Failed = 0, Errors = 0, PassRate = 1, MeanScore = 1,
        LatencyP50Ms = 10, LatencyP95Ms = 20, CostUsd = cost, JudgeCalls = judgeCalls, JudgeCostUsd = judgeCost,
    };

    [Fact]
    public void Decide_CaseWhoseEveryTrialErrored_IsSummarisedWithEachSidesCounts()
    {
        var always = Assert.IsType<AlwaysErrored>(Report().Decision.AlwaysErrored);

        var c = Assert.Single(always.Cases);
        Assert.Equal("c0005: 6/6 trials errored (baseline 3/3, candidate 3/3)", c.Line);
        Assert.Equal("1 case(s) errored on every trial (6 of the 7 errored trial(s)): a resume asks them again and will not fix them until the case, " +
                     "its expectations or the scorers (a rubric, the judge) change; glidepath eval show RUN gives each error", always.Message);
        Assert.Equal("1 case(s) errored on every trial (6 of the 7 errored trial(s)): a resume asks them again and will not fix them until the case, " +
                     "its expectations or the scorers (a rubric, the judge) change; glidepath eval show run-1 gives each error", always.ForRun("run-1").Message);
    }

    [Fact]
    public void Decide_ErrorsOnSomeTrialsOnly_HasNoSummary()
    {
        var cases = new List<GateCaseInput>
        {
            new("c1", [GateSimulation.Trial("b", "c1", 0, true, TrialStatus.Error), GateSimulation.Trial("b", "c1", 1, true)],
                [GateSimulation.Trial("c", "c1", 0, true, TrialStatus.Error), GateSimulation.Trial("c", "c1", 1, true, TrialStatus.Error)]),
        };

        var decision = GateEvaluator.Decide(cases, new GateRule());

        Assert.Equal(GateResult.Error, decision.Result);
        Assert.Null(decision.AlwaysErrored);
    }

    [Fact]
    public void Markdown_ListsTheCasesThatErroredOnEveryTrialBeforeTheErrors_AndNamesTrialsOutOfTheirCount()
    {
        var md = ReportFormat.Render(Report(), "md");

        var summary = md.IndexOf("### Cases that errored on every trial (1)", StringComparison.Ordinal);
        Assert.True(summary > 0, md);
        Assert.Contains("- `c0005`: 6/6 trials errored (baseline 3/3, candidate 3/3)", md, StringComparison.Ordinal);
        Assert.True(summary < md.IndexOf("### Errors (7)", StringComparison.Ordinal));
        Assert.Contains("- `c0017` (candidate, trial 2 of 3): provider answered 500", md, StringComparison.Ordinal);
    }

    [Fact]
    public void HtmlAndJUnit_ListTheSummaryAndNameTrialsOutOfTheirCount()
    {
        var html = ReportFormat.Render(Report(), "html");
        Assert.Contains("<li><code>c0005</code>: 6/6 trials errored (baseline 3/3, candidate 3/3)</li>", html, StringComparison.Ordinal);
        Assert.Contains("c0017 (candidate, trial 2 of 3): provider answered 500", html, StringComparison.Ordinal);

        var junit = XDocument.Parse(ReportFormat.Render(Report(), "junit"));
        var error = junit.Descendants("testcase").Single(t => t.Attribute("name")!.Value == "c0017").Element("error")!;
        Assert.Equal("candidate trial 2 of 3: provider answered 500", error.Value);
    }

    // JSON keeps "trial" as the 0-based index (machines read it): the text beside it says which trial that is, of how many.
    [Fact]
    public void Json_CasesAlwaysErroredListsEveryOne_EmptyWhenNone_AndTrialStaysTheIndex()
    {
        using var doc = JsonDocument.Parse(ReportFormat.Render(Report(), "json"));
        var listed = Assert.Single(doc.RootElement.GetProperty("cases_always_errored").EnumerateArray());
        Assert.Equal("c0005", listed.GetProperty("case_id").GetString());
        Assert.Equal(6, listed.GetProperty("errored").GetInt32());
        Assert.Equal(6, listed.GetProperty("trials").GetInt32());
        Assert.Equal(3, listed.GetProperty("baseline_errored").GetInt32());
        Assert.Equal(3, listed.GetProperty("candidate_trials").GetInt32());
        var c0017 = doc.RootElement.GetProperty("errors").EnumerateArray().Single(e => e.GetProperty("case_id").GetString() == "c0017");
        Assert.Equal(1, c0017.GetProperty("trial").GetInt32());

        var cases = GateSimulation.Cases(new Random(1), 2, (1.0, 1.0));
        using var none = JsonDocument.Parse(ReportFormat.Render(Report() with { Decision = GateEvaluator.Decide(cases, new GateRule()) }, "json"));
        Assert.Equal(0, none.RootElement.GetProperty("cases_always_errored").GetArrayLength());
    }

    // Trial gatejudge2 LOW 5: a reviewer could not see that a gate cost $30 in judge calls; the text table and JSON had it.
    [Fact]
    public void MarkdownAndHtml_ShowCostJudgeCallsAndJudgeCostAsTheTextTableRoundsThem()
    {
        var report = Report([Summary("b", 0.00031234, 300, 0.45), Summary("c", null, 298, 0.44725)]);

        var md = ReportFormat.Render(report, "md");
        Assert.Contains("| cost $ | 0.0003 | - |\n| judge calls | 300 | 298 |\n| judge $ | 0.4500 | 0.4473 |\n", md, StringComparison.Ordinal);
        var html = ReportFormat.Render(report, "html");
        Assert.Contains("<tr><td>judge $</td><td>0.4500</td><td>0.4473</td></tr>", html, StringComparison.Ordinal);

        // Without a judge there are no judge lines, as in the text table; without summaries no cost line at all.
        var unjudged = ReportFormat.Render(Report([Summary("b", 0.01, 0, null), Summary("c", 0.02, 0, null)]), "md");
        Assert.Contains("| cost $ | 0.0100 | 0.0200 |", unjudged, StringComparison.Ordinal);
        Assert.DoesNotContain("judge calls", unjudged, StringComparison.Ordinal);
        Assert.DoesNotContain("cost $", ReportFormat.Render(Report(), "md"), StringComparison.Ordinal);
    }

    // Trial gatejudge3 M3: cases cut off by the judge's spend cap read "errored on every trial … will not fix them until the
    // case … or the scorers change", beside the advice to raise the cap and resume, which does grade them.
    [Fact]
    public void Decide_CaseWhoseTrialsTheSpendCapRefused_IsNotACaseThatCannotBeGraded()
    {
        const string refused = "llm_judge: the judge's spend limit of $0.30 is reached: $0.2985 is spent and one call has cost up to $0.0015; raise max_spend_usd and resume the run, or use fewer cases";
        List<TrialResult> Side(string release, string caseId, string error) =>
            Enumerable.Range(0, 3).Select(t => GateSimulation.Trial(release, caseId, t, true, TrialStatus.Error) with { Error = error }).ToList();
        List<GateCaseInput> cases =
        [
            new("c0001", [GateSimulation.Trial("b", "c0001", 0, true)], [GateSimulation.Trial("c", "c0001", 0, true)]),
            new("c0028", Side("b", "c0028", refused), Side("c", "c0028", refused)),
            new("c0029", Side("b", "c0029", "llm_judge: the judge's answer gives no score"), Side("c", "c0029", "llm_judge: the judge's answer gives no score")),
        ];

        var decision = GateEvaluator.Decide(cases, new GateRule());

        Assert.Equal(GateResult.Error, decision.Result);
        var always = Assert.IsType<AlwaysErrored>(decision.AlwaysErrored);
        Assert.Equal("c0029", Assert.Single(always.Cases).CaseId);
        Assert.Equal(12, always.ErroredTrials);
    }

    // Trial gate1000 HIGH-1: a 2-minute outage errored every trial of 90 cases, listed as cases a resume "will not fix" (and
    // ci.md's retry recipe then skipped the resume), though the resume fixed every one. Only errors that recur are listed.
    [Fact]
    public void Decide_CaseWhoseEveryTrialMetAProviderOutage_IsNotListed_AndTheReasonSaysAResumeFixesIt()
    {
        const string refused = "the model call failed: model provider 'openai' failed: cannot reach http://127.0.0.1:18911/v1/chat/completions: Connection refused";
        List<TrialResult> Side(string release, string caseId, bool transient) =>
            Enumerable.Range(0, 3).Select(t => GateSimulation.Trial(release, caseId, t, true, TrialStatus.Error) with { Error = refused, TransientError = transient }).ToList();
        List<GateCaseInput> cases =
        [
            new("c0001", [GateSimulation.Trial("b", "c0001", 0, true)], [GateSimulation.Trial("c", "c0001", 0, true)]),
            new("c0091", Side("b", "c0091", transient: true), Side("c", "c0091", transient: true)),
            new("c0092", Side("b", "c0092", transient: false), Side("c", "c0092", transient: false)),
        ];

        var decision = GateEvaluator.Decide(cases, new GateRule());

        Assert.Equal(GateResult.Error, decision.Result);
        var always = Assert.IsType<AlwaysErrored>(decision.AlwaysErrored);
        Assert.Equal("c0092", Assert.Single(always.Cases).CaseId);
        Assert.Contains("6 of them met a provider that could not be reached, timed out, was rate limited or answered with a server error: " +
                        "a resume asks them again and is expected to fix a provider outage", decision.Reasons);

        var outageOnly = GateEvaluator.Decide(cases.Take(2).ToList(), new GateRule());
        Assert.Null(outageOnly.AlwaysErrored);
        using var doc = JsonDocument.Parse(ReportFormat.Render(Report() with { Decision = outageOnly }, "json"));
        Assert.Equal(0, doc.RootElement.GetProperty("cases_always_errored").GetArrayLength());
    }
}
