using System.Globalization;
using System.Net;
using System.Text;
using Glidepath.Evals.Gate;

namespace Glidepath.Evals.Reports;

/// <summary>The gate as one self-contained HTML page (inline CSS, no scripts, nothing fetched).</summary>
public static class HtmlReport
{
    private const string Css = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:1200px}
        h1{font-size:1.4rem}.pass{color:#116329}.blocked{color:#b42318}.error{color:#9a6700}
        table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
        th{background:#f6f8fa}tr.regressed{background:#ffebe9}tr.improved{background:#dafbe1}tr.errored{background:#fff8c5}
        pre{white-space:pre-wrap;margin:0;font:12px/1.4 ui-monospace,monospace}.muted{color:#57606a}
        """;

    public static string Render(GateReport r)
    {
        var d = r.Decision;
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Glidepath gate: ").Append(E(r.ResultWord)).Append("</title><style>")
          .Append(Css).Append("</style></head><body>");
        sb.Append(CultureInfo.InvariantCulture, $"<h1>Glidepath gate: <span class=\"{r.ResultWord}\">{E(r.ResultWord)}</span></h1>");
        sb.Append(CultureInfo.InvariantCulture, $"<p>Candidate <b>{E(r.CandidateLabel)}</b> vs baseline <b>{E(r.BaselineLabel)}</b> on <code>{E(r.DatasetPath)}</code> ");
        sb.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">(sha256 {E(r.DatasetSha256[..12])}, run {E(r.RunId)}, {r.CreatedAt:u})</span></p>");
        if (r.PartialNote is { } partial)
        {
            sb.Append("<p class=\"partial\"><b>").Append(E(partial)).Append(".</b></p>");
        }

        foreach (var (message, action) in new[] { (r.RuleChange?.Message, r.RuleChange?.Action), (r.ScorerChange?.Message, r.ScorerChange?.Action), (r.DatasetChange?.Message, r.DatasetChange?.Action) })
        {
            if (message is not null)
            {
                sb.Append("<p class=\"partial\"><b>").Append(E(message)).Append(".</b>").Append(action is { Length: > 0 } ? " " + E(action) : "").Append("</p>");
            }
        }

        if (d.CannotBlock is { } blind)
        {
            sb.Append("<p class=\"partial\"><b>").Append(E(blind.Message)).Append(".</b></p>");
        }

        if (d.AlwaysFailing is { } failing)
        {
            sb.Append("<p class=\"partial\"><b>").Append(E(failing.Message)).Append(".</b></p>");
        }

        sb.Append("<ul>");
        foreach (var reason in d.Reasons)
        {
            sb.Append("<li>").Append(E(reason)).Append("</li>");
        }

        sb.Append("</ul><table><tr><th></th><th>baseline</th><th>candidate</th></tr>");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><td>pass rate</td><td>{GateFigures.PassRate(d.BaselinePassRate)}</td><td>{GateFigures.PassRate(d.CandidatePassRate)}</td></tr>");
        sb.Append(CultureInfo.InvariantCulture, $"<tr><td>mean score difference</td><td></td><td>{GateFigures.MeanDifference(d)}</td></tr>");
        foreach (var (label, baseline, candidate) in GateFigures.CostRows(r))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(label)}</td><td>{baseline}</td><td>{candidate}</td></tr>");
        }

        sb.Append("</table>");
        if (d.DropsNotSignificant is { } drops)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>{E(DropsNotSignificant.Title)} ({drops.Cases})</h2><p>{E(drops.Message)}.</p><ul>");
            foreach (var c in drops.Largest)
            {
                sb.Append("<li>").Append(E(drops.Line(c))).Append("</li>");
            }

            sb.Append("</ul>");
        }

        sb.Append("<table><tr><th>case</th><th>change</th><th>baseline</th><th>candidate</th><th>p (adjusted)</th><th>baseline answer</th><th>candidate answer</th></tr>");
        foreach (var c in d.Cases.OrderBy(c => c.Change switch { CaseChange.Regressed => 0, CaseChange.Error => 1, CaseChange.Improved => 2, _ => 3 }))
        {
            var cls = c.Change switch { CaseChange.Regressed => "regressed", CaseChange.Improved => "improved", CaseChange.Error => "errored", _ => "" };
            sb.Append(CultureInfo.InvariantCulture, $"<tr class=\"{cls}\"><td><code>{E(c.CaseId)}</code></td><td>{c.Change.ToString().ToLowerInvariant()}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{GateFigures.Passes(c.BaselinePasses, c.BaselineTrials, c.BaselineScore)}</td><td>{GateFigures.Passes(c.CandidatePasses, c.CandidateTrials, c.CandidateScore)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{(c.PValue is { } p ? System.Net.WebUtility.HtmlEncode($"{PValueText.Of(p)} ({PValueText.Of(c.AdjustedPValue ?? p)})") : "")}</td>");
            if (c.Change == CaseChange.Same)
            {
                // The gate keeps the answers of changed cases only: no empty boxes that would read as empty answers.
                sb.Append("<td colspan=\"2\" class=\"muted\">unchanged</td></tr>");
                continue;
            }

            sb.Append("<td><pre>").Append(E(c.BaselineOutput ?? "")).Append("</pre></td><td><pre>").Append(E(c.CandidateOutput ?? "")).Append("</pre>");
            if (c.CandidateReason is { Length: > 0 })
            {
                sb.Append("<p class=\"muted\">").Append(E(c.CandidateReason)).Append("</p>");
            }

            sb.Append("</td></tr>");
        }

        sb.Append("</table>");
        if (d.AlwaysErrored is { } always)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<h2>Cases that errored on every trial ({always.Cases.Count})</h2><p class=\"error\">{E(always.Message)}.</p><ul>");
            foreach (var c in always.Cases)
            {
                sb.Append("<li><code>").Append(E(c.CaseId)).Append("</code>: ").Append(E(c.Counts)).Append("</li>");
            }

            sb.Append("</ul>");
        }

        foreach (var e in d.Errors)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"error\">{E(e.CaseId)} ({E(e.Side)}, {Runs.TrialNumber.Text(e.Trial, d.Trials)}): {E(e.Message)}</p>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">Scorers {E(r.ScorerVersion[..12])}. Rule: at most {d.Rule.MaxCaseRegressions} regressed case(s); mean drop at most {d.Rule.MaxMeanDrop:0.###} at {d.Rule.Confidence:0%} confidence. Correction: {E(d.Correction.Describe())}.</p>");
        return sb.Append("</body></html>\n").ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
