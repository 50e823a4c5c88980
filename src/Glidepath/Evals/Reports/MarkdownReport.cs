using System.Globalization;
using System.Text;
using Glidepath.Evals.Gate;

namespace Glidepath.Evals.Reports;

/// <summary>
/// The gate as a pull-request comment: verdict, counts, the regressed cases side by side, improvements, errors. Every
/// value a dataset, a model, a provider or a manifest chose is written as text, never as markup: one line (a blank
/// line would end the collapsible block), HTML encoded, markdown punctuation escaped (no image, link or emphasis of
/// its own), and an <c>@</c> that cannot mention anyone. A bot posts this comment under its own name.
/// </summary>
public static class MarkdownReport
{
    /// <summary>
    /// The most characters a report holds. GitHub refuses a comment body over 65,536, so a report that grew with the
    /// regressions of a large suite could not be posted exactly when a big change is blocked: the verdict, the summary
    /// and as many cases as fit are kept (worst first), and a line says how many more there are and where to read them.
    /// </summary>
    public const int MaxChars = 60_000;

    // Room kept for each section's "… and N more" line and the footer's judges.
    private const int MoreLineRoom = 200;

    public static string Render(GateReport r) => Render(r, MaxChars);

    /// <summary>The report in at most <paramref name="maxChars"/> characters (a test's smaller cap).</summary>
    internal static string Render(GateReport r, int maxChars)
    {
        var d = r.Decision;
        var sb = new StringBuilder();
        var icon = d.Result switch { GateResult.Pass => "✅", GateResult.Blocked => "❌", _ => "⚠️" };
        sb.Append(CultureInfo.InvariantCulture, $"## {icon} Glidepath gate: **{r.ResultWord}**\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"Candidate **{Text(r.CandidateLabel)}** vs baseline **{Text(r.BaselineLabel)}** on {Code(r.DatasetPath)} (sha256 `{r.DatasetSha256[..12]}`), ");
        sb.Append(CultureInfo.InvariantCulture, $"{d.Cases.Count} case(s) × {d.Trials} trial(s). Run `{r.RunId}`.\n\n");
        if (r.PartialNote is { } partial)
        {
            sb.Append(CultureInfo.InvariantCulture, $"> **{Text(partial)}.**\n\n");
        }

        if (r.RuleChange is { } ruleChange)
        {
            // A pull request's own glidepath.yaml sets the bar its gate is judged by: say so where a reviewer looks first.
            Warning(sb, ruleChange.Message, ruleChange.Action);
        }

        if (r.ScorerChange is { } scorerChange)
        {
            // Loosening a scorer (ignore_case, a lower pass mark, a softer rubric) lowers the bar as a rule change does.
            Warning(sb, scorerChange.Message, scorerChange.Action);
        }

        if (r.DatasetChange is { } datasetChange)
        {
            // A change that deletes (or rewrites) the cases it breaks passes its own gate: as loud as a rule change.
            Warning(sb, datasetChange.Message, datasetChange.Action);
        }

        if (d.CannotBlock is { } blind)
        {
            // A pass that could not have blocked anything it was shown: said before the reasons, which read "held".
            Warning(sb, blind.Message, "");
        }

        if (d.AlwaysFailing is { } failing)
        {
            // Already failing on the baseline, these cases cannot regress: a broken expectation hides a regression there.
            Warning(sb, failing.Message, "");
        }

        // Our words, but with values in them (a dataset path the manifest names): text, like every other value.
        foreach (var reason in d.Reasons)
        {
            sb.Append("- ").Append(Text(reason)).Append('\n');
        }

        sb.Append("\n| | baseline | candidate |\n|---|---|---|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| pass rate | {GateFigures.PassRate(d.BaselinePassRate)} | {GateFigures.PassRate(d.CandidatePassRate)} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| regressed / improved cases | | {d.Regressions.Count} / {d.Improvements.Count} |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| mean score difference | | {GateFigures.MeanDifference(d)} |\n");
        foreach (var (label, baseline, candidate) in GateFigures.CostRows(r))
        {
            // What the gate cost, as the text table has it: a reviewer sees a $30 judge bill (trial gatejudge2 LOW 5).
            sb.Append(CultureInfo.InvariantCulture, $"| {label} | {baseline} | {candidate} |\n");
        }

        sb.Append('\n');
        if (d.DropsNotSignificant is { } drops)
        {
            // Before the case lists, which a large gate cuts: at most MaxShown short lines.
            Drops(sb, drops);
        }

        var footer = Footer(r);
        var budget = maxChars - footer.Length - 3 * MoreLineRoom;
        Section(sb, "Regressed cases", "regressions", d.Regressions, budget);
        Section(sb, "Improved cases", "improved cases", d.Improvements, budget);
        AlwaysErrored(sb, d.AlwaysErrored);
        Errors(sb, d.Errors, d.Trials, budget);
        sb.Append(footer);
        return sb.ToString();
    }

    private static void Warning(StringBuilder sb, string message, string action) =>
        sb.Append(CultureInfo.InvariantCulture, $"> ⚠️ **{Sentence(message)}.**{(action.Length > 0 ? " " + Sentence(action) : "")}\n\n");

    private static string Footer(GateReport r)
    {
        var d = r.Decision;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<sub>Rule: max {d.Rule.MaxCaseRegressions} regressed case(s), max mean drop {d.Rule.MaxMeanDrop:0.###} at {d.Rule.Confidence:0%} confidence. Correction: {d.Correction.Describe()}. Scorers `{r.ScorerVersion[..12]}`");
        foreach (var j in r.Judges)
        {
            sb.Append(CultureInfo.InvariantCulture, $", judge {Text(j.Model)} (rubric `{j.RubricSha256[..12]}`)");
        }

        sb.Append(".</sub>\n");
        return sb.ToString();
    }

    private static void Section(StringBuilder sb, string title, string noun, IReadOnlyList<CaseComparison> cases, int budget)
    {
        if (cases.Count == 0)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"### {title} ({cases.Count})\n\n");
        for (var i = 0; i < cases.Count; i++)
        {
            var block = Block(cases[i]);
            if (sb.Length + block.Length > budget)
            {
                More(sb, cases.Count - i, noun);
                return;
            }

            sb.Append(block);
        }
    }

    private static void Drops(StringBuilder sb, DropsNotSignificant drops)
    {
        sb.Append(CultureInfo.InvariantCulture, $"### {DropsNotSignificant.Title} ({drops.Cases})\n\n");
        sb.Append(Sentence(drops.Message)).Append(".\n\n| case | baseline | candidate | p | adjusted p |\n|---|---|---|---|---|\n");
        foreach (var c in drops.Largest)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| {Cell(Inline(c.CaseId))} | {c.BaselinePasses}/{c.BaselineTrials} | {c.CandidatePasses}/{c.CandidateTrials} | {Html(PValueText.Of(c.PValue ?? 1))} | {drops.AdjustedText(c)} |\n");
        }

        sb.Append('\n');
        if (drops.Cases > drops.Largest.Count)
        {
            More(sb, drops.Cases - drops.Largest.Count, "such drops");
        }
    }

    // Before the errors, which a large gate cuts: at most MaxShown short lines.
    private static void AlwaysErrored(StringBuilder sb, AlwaysErrored? always)
    {
        if (always is null)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"### Cases that errored on every trial ({always.Cases.Count})\n\n").Append(Sentence(always.Message)).Append(".\n\n");
        foreach (var c in always.Cases.Take(Gate.AlwaysErrored.MaxShown))
        {
            sb.Append("- ").Append(Code(c.CaseId)).Append(": ").Append(c.Counts).Append('\n');
        }

        sb.Append('\n');
        if (always.Cases.Count > Gate.AlwaysErrored.MaxShown)
        {
            More(sb, always.Cases.Count - Gate.AlwaysErrored.MaxShown, "such cases");
        }
    }

    private static void Errors(StringBuilder sb, IReadOnlyList<GateError> errors, int trials, int budget)
    {
        if (errors.Count == 0)
        {
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"### Errors ({errors.Count})\n\n");
        for (var i = 0; i < errors.Count; i++)
        {
            var e = errors[i];
            var line = string.Create(CultureInfo.InvariantCulture, $"- {Code(e.CaseId)} ({e.Side}, {Runs.TrialNumber.Text(e.Trial, trials)}): {Text(e.Message)}\n");
            if (i == 50 || sb.Length + line.Length > budget)
            {
                More(sb, errors.Count - i, "errors");
                return;
            }

            sb.Append(line);
        }

        sb.Append('\n');
    }

    private static void More(StringBuilder sb, int more, string noun) =>
        sb.Append(CultureInfo.InvariantCulture, $"… and {more} more {noun}: see the JUnit report or `gate --format json`\n\n");

    private static string Block(CaseComparison c)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<details><summary><code>{Html(Unlinked(Inline(c.CaseId)))}</code>: baseline {c.BaselinePasses}/{c.BaselineTrials} passed, candidate {c.CandidatePasses}/{c.CandidateTrials}");
        if (PValueText.Of(c) is { } p)
        {
            sb.Append($" ({Html(p)})");
        }

        sb.Append("</summary>\n\n| baseline | candidate |\n|---|---|\n");
        sb.Append('|').Append(Cell(c.BaselineOutput ?? "")).Append('|').Append(Cell(c.CandidateOutput ?? "")).Append("|\n\n");
        if (c.CandidateReason is { Length: > 0 })
        {
            sb.Append("Candidate: ").Append(Text(c.CandidateReason)).Append('\n');
        }

        sb.Append("</details>\n\n");
        return sb.ToString();
    }

    // A table cell keeps its line breaks as <br>; a '|' would end the cell.
    private static string Cell(string s) => Markup(Clip(s, 600).Replace("\r", "", StringComparison.Ordinal)).Replace("|", "&#124;", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

    /// <summary>Untrusted text on one markdown line.</summary>
    private static string Text(string s) => Markup(Inline(s));

    /// <summary>
    /// One of our warnings on one markdown line, whole: it ends with the fix, which a cut at 300 characters would drop. The
    /// values in it (case ids, a dataset path) are escaped as text, and the gate keeps each case id in it short.
    /// </summary>
    private static string Sentence(string s) => Markup(s.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' '));

    /// <summary>Untrusted text as a code span: literal inside, so only a backtick (which would close it) and line breaks are replaced.</summary>
    private static string Code(string s) => "`" + Inline(s).Replace('`', '\'') + "`";

    private static string Inline(string s) => Clip(s, 300).Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');

    // Markdown punctuation first (a backslash makes each literal), then what GitHub links by itself (see Unlinked), then
    // HTML (< > & " ', which a backslash cannot make literal inside a tag; last, so no entity it writes is touched).
    private static string Markup(string s)
    {
        var escaped = new StringBuilder(s.Length + 16);
        foreach (var ch in s)
        {
            if (ch is '\\' or '`' or '*' or '_' or '[' or ']' or '(' or ')' or '!' or '~' or '#' or '{' or '}')
            {
                escaped.Append('\\');
            }

            escaped.Append(ch);
        }

        return Html(Unlinked(escaped.ToString()));
    }

    // GitHub turns a mention (@user), an issue reference (#12, owner/repo#12) and a bare URL (https://…, www.…) into a
    // link by itself: a zero-width space after '@', '#', "://" and "www." keeps the text as it reads and links nothing.
    private static string Unlinked(string s) => s
        .Replace("@", "@\u200B", StringComparison.Ordinal)
        .Replace("#", "#\u200B", StringComparison.Ordinal)
        .Replace("://", ":/\u200B/", StringComparison.Ordinal)
        .Replace("www.", "www\u200B.", StringComparison.Ordinal)
        .Replace("WWW.", "WWW\u200B.", StringComparison.Ordinal);

    private static string Html(string s) => System.Net.WebUtility.HtmlEncode(s);

    private static string Clip(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
