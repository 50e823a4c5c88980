using System.Globalization;
using System.Text;
using Glidepath.Evals.Gate;

namespace Glidepath.Evals.Reports;

/// <summary>The gate as a pull-request comment: verdict, counts, the regressed cases side by side, improvements, errors.</summary>
public static class MarkdownReport
{
    public static string Render(GateReport r)
    {
        var d = r.Decision;
        var sb = new StringBuilder();
        var icon = d.Result switch { GateResult.Pass => "✅", GateResult.Blocked => "❌", _ => "⚠️" };
        sb.Append(CultureInfo.InvariantCulture, $"## {icon} Glidepath gate: **{r.ResultWord}**\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Candidate **{r.CandidateLabel}** vs baseline **{r.BaselineLabel}** on `{r.DatasetPath}` (sha256 `{r.DatasetSha256[..12]}`), ");
        sb.Append(CultureInfo.InvariantCulture, $"{d.Cases.Count} case(s) × {d.Trials} trial(s). Run `{r.RunId}`.\n\n");
        if (r.PartialNote is { } partial)
        {
            sb.Append(CultureInfo.InvariantCulture, $"> **{Inline(partial)}.**\n\n");
        }

        foreach (var reason in d.Reasons)
        {
            sb.Append("- ").Append(reason).Append('\n');
        }

        sb.Append("\n| | baseline | candidate |\n|---|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| pass rate | {d.BaselinePassRate:0.0%} | {d.CandidatePassRate:0.0%} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| regressed / improved cases | | {d.Regressions.Count} / {d.Improvements.Count} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| mean score difference | | {d.MeanDifference:+0.000;-0.000;0.000} ({d.Confidence:0%} CI {d.CiLow:+0.000;-0.000;0.000} to {d.CiHigh:+0.000;-0.000;0.000}) |\n\n");
        Section(sb, "Regressed cases", d.Regressions);
        Section(sb, "Improved cases", d.Improvements);
        if (d.Errors.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"### Errors ({d.Errors.Count})\n\n");
            foreach (var e in d.Errors.Take(50))
            {
                sb.Append(CultureInfo.InvariantCulture, $"- `{e.CaseId}` ({e.Side}, trial {e.Trial + 1}): {Inline(e.Message)}\n");
            }

            sb.Append('\n');
        }

        sb.Append(CultureInfo.InvariantCulture, $"<sub>Rule: max {d.Rule.MaxCaseRegressions} regressed case(s), max mean drop {d.Rule.MaxMeanDrop:0.###} at {d.Rule.Confidence:0%} confidence. Correction: {d.Correction.Describe()}. Scorers `{r.ScorerVersion[..12]}`");
        foreach (var j in r.Judges)
        {
            sb.Append(CultureInfo.InvariantCulture, $", judge {j.Model} (rubric `{j.RubricSha256[..12]}`)");
        }

        sb.Append(".</sub>\n");
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, string title, IReadOnlyList<CaseComparison> cases)
    {
        if (cases.Count == 0)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"### {title} ({cases.Count})\n\n");
        foreach (var c in cases)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<details><summary><code>{Html(c.CaseId)}</code>: baseline {c.BaselinePasses}/{c.BaselineTrials} passed, candidate {c.CandidatePasses}/{c.CandidateTrials}");
            if (c.PValue is { } p)
            {
                sb.Append(CultureInfo.InvariantCulture, $" (p = {p:0.####}, adjusted {c.AdjustedPValue:0.####})");
            }

            sb.Append("</summary>\n\n| baseline | candidate |\n|---|---|\n");
            sb.Append('|').Append(Cell(c.BaselineOutput)).Append('|').Append(Cell(c.CandidateOutput)).Append("|\n\n");
            if (c.CandidateReason.Length > 0)
            {
                sb.Append("Candidate: ").Append(Inline(c.CandidateReason)).Append('\n');
            }

            sb.Append("</details>\n\n");
        }
    }

    private static string Cell(string s) => Html(Clip(s, 600)).Replace("|", "&#124;", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    private static string Inline(string s) => Clip(s, 300).Replace("\n", " ", StringComparison.Ordinal);

    private static string Html(string s) => System.Net.WebUtility.HtmlEncode(s);

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
