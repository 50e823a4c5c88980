using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Scorers;
using Glidepath.Tests.Evals.Gate;

namespace Glidepath.Tests.Evals.Reports;

/// <summary>
/// A case one side of which errored on every trial has no score on that side: null in the JSON, "not measured" in the
/// HTML table, never 0 (docs/ci.md, "null means not measured … never 0").
/// </summary>
public sealed class NotMeasuredCaseTests
{
    [Fact]
    public void Json_SideWhoseEveryTrialErrored_ScoreIsNull_ASideWithAScoredTrialKeepsItsScore()
    {
        using var doc = JsonDocument.Parse(ReportFormat.Render(Report(), "json"));
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("case_id").GetString()!);

        Assert.Equal(JsonValueKind.Null, cases["candidate-errored"].GetProperty("candidate_score").ValueKind);
        Assert.Equal(1, cases["candidate-errored"].GetProperty("baseline_score").GetDouble());
        Assert.Equal(JsonValueKind.Null, cases["baseline-errored"].GetProperty("baseline_score").ValueKind);
        Assert.Equal(JsonValueKind.Number, cases["partly-errored"].GetProperty("candidate_score").ValueKind);
    }

    [Fact]
    public void Html_SideWhoseEveryTrialErrored_SaysNotMeasuredNotZeroPasses()
    {
        var html = ReportFormat.Render(Report(), "html");

        Assert.Contains("<td><code>candidate-errored</code></td><td>error</td><td>3/3</td><td>not measured</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>baseline-errored</code></td><td>error</td><td>not measured</td><td>3/3</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td><code>partly-errored</code></td><td>error</td><td>3/3</td><td>0/3</td>", html, StringComparison.Ordinal);
    }

    private static GateReport Report()
    {
        List<GateCaseInput> cases =
        [
            Case("candidate-errored", baseline: [Pass, Pass, Pass], candidate: [Error, Error, Error]),
            Case("baseline-errored", baseline: [Error, Error, Error], candidate: [Pass, Pass, Pass]),
            Case("partly-errored", baseline: [Pass, Pass, Pass], candidate: [Error, Fail, Fail]),
        ];
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
            Judges = [],
            Decision = GateEvaluator.Decide(cases, new GateRule()),
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
    }

    private const TrialStatus Pass = TrialStatus.Pass, Fail = TrialStatus.Fail, Error = TrialStatus.Error;

    private static GateCaseInput Case(string id, TrialStatus[] baseline, TrialStatus[] candidate) =>
        new(id, Trials("b", id, baseline), Trials("c", id, candidate));

    private static List<Glidepath.Evals.Runs.TrialResult> Trials(string release, string id, TrialStatus[] statuses) =>
        [.. statuses.Select((s, t) => GateSimulation.Trial(release, id, t, s == TrialStatus.Pass, s == TrialStatus.Error ? TrialStatus.Error : null))];
}
