using System.Globalization;
using System.Xml.Linq;
using Glidepath.Environments;
using Glidepath.Evals.Gate;

namespace Glidepath.Evals.Reports;

/// <summary>
/// The gate as JUnit XML: one testcase per case; a regression is a failure, an errored case an error. A character XML
/// 1.0 cannot carry (a control character in a model's answer, a lone surrogate) is written as <c>\uXXXX</c> instead of
/// failing the report. A warning (a rule, scorers or dataset changed against the baseline's commit, a pass that could not have
/// blocked) is a <c>skipped</c> testcase of its own, a suite property and a line of the suite's <c>system-err</c>.
/// </summary>
public static class JUnitReport
{
    public static string Render(GateReport r)
    {
        var d = r.Decision;
        var warnings = Warnings(r);
        var errorsByCase = d.Errors.GroupBy(e => e.CaseId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var suite = new XElement("testsuite",
            new XAttribute("name", Xml($"glidepath gate {r.App}: {r.CandidateLabel} vs {r.BaselineLabel}")),
            new XAttribute("tests", d.Cases.Count + warnings.Count),
            new XAttribute("failures", d.Regressions.Count),
            new XAttribute("errors", d.Cases.Count(c => c.Change == CaseChange.Error)),
            new XAttribute("skipped", warnings.Count),
            new XAttribute("timestamp", r.CreatedAt.ToString("s", CultureInfo.InvariantCulture)),
            new XElement("properties",
                Property("verdict", r.ResultWord),
                Property("run", r.RunId),
                Property("candidate", r.CandidateId),
                Property("baseline", r.BaselineId),
                Property("dataset_sha256", r.DatasetSha256),
                Property("scorer_version", r.ScorerVersion),
                Property("correction", d.Correction.Describe()),
                r.PartialNote is { } partial ? Property("partial", partial) : null,
                warnings.Select(w => Property(w.Name, w.Message))));
        // A JUnit viewer shows the text of a failure, an error or a skipped testcase and nothing of a passed one (GitLab
        // shows neither a suite's properties nor its system-err): a warning is a skipped testcase, which fails no build, so
        // a pass that warned stays a pass and the warning is read where the cases are.
        foreach (var w in warnings)
        {
            suite.Add(new XElement("testcase", new XAttribute("classname", Xml($"glidepath.{r.App}.warnings")), new XAttribute("name", Xml($"gate warning ({w.Name}): {w.Title}")),
                new XElement("skipped", new XAttribute("message", Xml(w.Message)), Xml($"{w.Message}.\n\n{w.Action}A warning, not a failure: the verdict is {r.ResultWord}."))));
        }

        foreach (var c in d.Cases)
        {
            var testcase = new XElement("testcase", new XAttribute("classname", Xml($"glidepath.{r.App}")), new XAttribute("name", Xml(c.CaseId)));
            var summary = string.Create(CultureInfo.InvariantCulture, $"baseline {c.BaselinePasses}/{c.BaselineTrials}, candidate {c.CandidatePasses}/{c.CandidateTrials}")
                + (PValueText.Of(c) is { } p ? $", {p}" : "");
            if (c.Change == CaseChange.Regressed)
            {
                testcase.Add(new XElement("failure", new XAttribute("message", $"regressed: {summary}"), new XAttribute("type", "regression"),
                    Xml($"{c.CandidateReason}\n\n--- baseline ---\n{c.BaselineOutput}\n\n--- candidate ---\n{c.CandidateOutput}")));
            }
            else if (c.Change == CaseChange.Error)
            {
                var messages = errorsByCase.TryGetValue(c.CaseId, out var list) ? string.Join("\n", list.Select(e => $"{e.Side} {Runs.TrialNumber.Text(e.Trial, d.Trials)}: {e.Message}")) : "no result on one side";
                testcase.Add(new XElement("error", new XAttribute("message", "could not be scored"), Xml(messages)));
            }
            else
            {
                testcase.Add(new XElement("system-out", summary + (c.Change == CaseChange.Improved ? " (improved)" : "")));
            }

            suite.Add(testcase);
        }

        if (warnings.Count > 0)
        {
            suite.Add(new XElement("system-err", Xml(string.Concat(warnings.Select(w => $"warning: {w.Message}\n")))));
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement("testsuites", suite) + "\n";
    }

    /// <summary>
    /// The report's warnings in the markdown report's order, each with its JSON name, a title short enough for a list of
    /// tests, its message and what the reader should do (empty when the message ends with it).
    /// </summary>
    private static List<(string Name, string Title, string Message, string Action)> Warnings(GateReport r)
    {
        var warnings = new List<(string, string, string, string)>(5);
        if (r.RuleChange is { } ruleChange)
        {
            warnings.Add(("rule_change", ruleChange.Message, ruleChange.Message, Then(ruleChange.Action)));
        }

        if (r.ScorerChange is { } scorerChange)
        {
            warnings.Add(("scorer_change", scorerChange.Title, scorerChange.Message, Then(scorerChange.Action)));
        }

        if (r.DatasetChange is { } datasetChange)
        {
            warnings.Add(("dataset_change", datasetChange.Title, datasetChange.Message, Then(datasetChange.Action)));
        }

        if (r.Decision.CannotBlock is { } blind)
        {
            var title = string.Create(CultureInfo.InvariantCulture, $"this gate could not have blocked the {blind.CasesLower} case(s) that scored lower on the candidate");
            warnings.Add(("cannot_block", title, blind.Message, ""));
        }

        if (r.Decision.AlwaysFailing is { } failing)
        {
            var title = string.Create(CultureInfo.InvariantCulture, $"{failing.Cases} case(s) failed on every trial on both sides: they cannot show a regression");
            warnings.Add(("always_failing", title, failing.Message, ""));
        }

        return warnings;
    }

    private static string Then(string action) => action.Length > 0 ? action + " " : "";

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", Xml(value)));

    // What XML 1.0 cannot carry is a control character (a terminal's escaping covers those, with bidirectional
    // overrides and lone surrogates), or one of the two noncharacters U+FFFE and U+FFFF.
    private static string Xml(string s) =>
        RecordedText.Escaped(s, keepLineBreaks: true).Replace("\uFFFE", "\\uFFFE", StringComparison.Ordinal).Replace("\uFFFF", "\\uFFFF", StringComparison.Ordinal);
}
