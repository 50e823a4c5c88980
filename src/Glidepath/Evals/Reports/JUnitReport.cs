using System.Globalization;
using System.Xml.Linq;
using Glidepath.Environments;
using Glidepath.Evals.Gate;

namespace Glidepath.Evals.Reports;

/// <summary>
/// The gate as JUnit XML: one testcase per case; a regression is a failure, an errored case an error. A character XML
/// 1.0 cannot carry (a control character in a model's answer, a lone surrogate) is written as <c>\uXXXX</c> instead of
/// failing the report.
/// </summary>
public static class JUnitReport
{
    public static string Render(GateReport r)
    {
        var d = r.Decision;
        var errorsByCase = d.Errors.GroupBy(e => e.CaseId).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var suite = new XElement("testsuite",
            new XAttribute("name", Xml($"glidepath gate {r.App}: {r.CandidateLabel} vs {r.BaselineLabel}")),
            new XAttribute("tests", d.Cases.Count),
            new XAttribute("failures", d.Regressions.Count),
            new XAttribute("errors", d.Cases.Count(c => c.Change == CaseChange.Error)),
            new XAttribute("timestamp", r.CreatedAt.ToString("s", CultureInfo.InvariantCulture)),
            new XElement("properties",
                Property("verdict", r.ResultWord),
                Property("run", r.RunId),
                Property("candidate", r.CandidateId),
                Property("baseline", r.BaselineId),
                Property("dataset_sha256", r.DatasetSha256),
                Property("scorer_version", r.ScorerVersion),
                Property("correction", d.Correction.Describe()),
                r.PartialNote is { } partial ? Property("partial", partial) : null));
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
                var messages = errorsByCase.TryGetValue(c.CaseId, out var list) ? string.Join("\n", list.Select(e => $"{e.Side} trial {e.Trial + 1}: {e.Message}")) : "no result on one side";
                testcase.Add(new XElement("error", new XAttribute("message", "could not be scored"), Xml(messages)));
            }
            else
            {
                testcase.Add(new XElement("system-out", summary + (c.Change == CaseChange.Improved ? " (improved)" : "")));
            }

            suite.Add(testcase);
        }

        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + new XElement("testsuites", suite) + "\n";
    }

    private static XElement Property(string name, string value) => new("property", new XAttribute("name", name), new XAttribute("value", Xml(value)));

    // What XML 1.0 cannot carry is a control character (a terminal's escaping covers those, with bidirectional
    // overrides and lone surrogates), or one of the two noncharacters U+FFFE and U+FFFF.
    private static string Xml(string s) =>
        RecordedText.Escaped(s, keepLineBreaks: true).Replace("\uFFFE", "\\uFFFE", StringComparison.Ordinal).Replace("\uFFFF", "\\uFFFF", StringComparison.Ordinal);
}
