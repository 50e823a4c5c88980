using System.Globalization;
using Glidepath.Errors;
using Glidepath.Evals;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Commands;

/// <summary>How <c>glidepath gate</c> shows a verdict: the summary table, the reasons, and each regressed case with both answers side by side.</summary>
internal static class GateOutput
{
    /// <param name="notes">What the run said while it ran; it names the command that resumes it.</param>
    public static void Print(CliContext ctx, GateOutcome outcome, RunNotes notes)
    {
        var (report, run) = (outcome.Report, outcome.Start.Run);
        var d = report.Decision;
        var errored = d.Result == GateResult.Error;
        if (ctx.Output.IsJson)
        {
            // An error verdict exits 3, and every exit-3 document carries error and exit_code: here beside the verdict, with
            // the command that asks the errored trials again as resume (as a stopped run's error object has it).
            var code = OutcomeExitCodes.For(d.Result);
            var failed = code == ExitCodes.Operational;
            ctx.Output.Json(w => JsonReport.Write(w, report, failed ? (ErrorText(d), code) : null, outcome.Summaries, failed ? notes.ResumeCommand(run) : null, failed ? notes.ResumeAfter() : null));
            WarningNotes(ctx, report);
            RolloutNotes(ctx, outcome);
            StoredNote(ctx, outcome);
            CachedBaselineNote(ctx, outcome);
            if (errored)
            {
                AlwaysErroredNotes(ctx, d);
                notes.Errored(run);
            }

            return;
        }

        if (outcome.Summaries.Any(s => s.Trials > 0))
        {
            EvalRunOutput.SummaryTable(ctx, outcome.Summaries.Select(s => (s.ReleaseId == report.CandidateId ? $"{report.CandidateLabel} (candidate)" : $"{report.BaselineLabel} (baseline)", s)).ToList());
        }

        var (color, word) = d.Result switch
        {
            GateResult.Pass => ("green", "PASS"),
            GateResult.Blocked => ("red", "BLOCKED"),
            _ => ("yellow", "ERROR"),
        };
        // A partial gate says so in its headline: a passing one is not stored, so "Gate PASS" alone read as evidence.
        if (report.Partial is { } partial)
        {
            word += $" (partial: {partial}; verdict {(outcome.Verdict is null ? "not stored" : "stored as partial")})";
        }

        ctx.Output.Line($"Gate {word}: {report.CandidateLabel} vs {report.BaselineLabel}", $"[bold {color}]Gate {Spectre.Console.Markup.Escape(word)}[/]: {Spectre.Console.Markup.Escape($"{report.CandidateLabel} vs {report.BaselineLabel}")}");
        foreach (var warning in Warnings(report))
        {
            ctx.Output.Line($"  WARNING: {warning}", $"  [bold yellow]WARNING[/]: {Spectre.Console.Markup.Escape(warning)}");
        }

        foreach (var reason in d.Reasons)
        {
            ctx.Output.Line("  " + reason);
        }

        ctx.Output.Line("  cases corrected: " + d.Correction.Describe());

        ctx.Output.Line($"  pass rate {GateFigures.PassRate(d.BaselinePassRate)} → {GateFigures.PassRate(d.CandidatePassRate)}; mean score difference {GateFigures.MeanDifference(d)}");
        foreach (var c in d.Regressions)
        {
            ctx.Output.Line();
            ctx.Output.Line(string.Create(CultureInfo.InvariantCulture, $"REGRESSED {c.CaseId}: baseline {c.BaselinePasses}/{c.BaselineTrials} passed, candidate {c.CandidatePasses}/{c.CandidateTrials}{(PValueText.Of(c) is { } p ? $" ({p})" : "")}"));
            if (c.CandidateReason is { Length: > 0 })
            {
                ctx.Output.Line("  why: " + c.CandidateReason);
            }

            SideBySide(ctx, c.BaselineOutput ?? "", c.CandidateOutput ?? "");
        }

        if (d.Improvements.Count > 0)
        {
            ctx.Output.Line();
            ctx.Output.Line("Improved: " + string.Join(", ", d.Improvements.Select(c => c.CaseId)));
        }

        if (d.DropsNotSignificant is { } drops)
        {
            // Not regressions, and they change nothing; but a case that collapsed reads "same" everywhere else (trial gatejudge M4).
            ctx.Output.Line();
            ctx.Output.Line($"{DropsNotSignificant.Title}: {drops.Message}");
            foreach (var c in drops.Largest)
            {
                ctx.Output.Line("  " + drops.Line(c));
            }

            if (drops.Cases > drops.Largest.Count)
            {
                ctx.Output.Line($"  … and {drops.Cases - drops.Largest.Count} more (gate --format json lists the largest {DropsNotSignificant.MaxShown}; every case's p-values are in its cases)");
            }
        }

        AlwaysErroredNotes(ctx, d);
        foreach (var e in d.Errors.Take(10))
        {
            ctx.Output.Note($"error: {e.CaseId} ({e.Side}, {TrialNumber.Text(e.Trial, d.Trials)}): {e.Message}");
        }

        if (d.Errors.Count > 10)
        {
            ctx.Output.Note($"… and {d.Errors.Count - 10} more errors ('glidepath eval show {run.Id}')");
        }

        RolloutNotes(ctx, outcome);
        StoredNote(ctx, outcome);
        CachedBaselineNote(ctx, outcome);
        if (errored)
        {
            notes.Errored(run);
        }
    }

    /// <summary>The cases whose every trial errored, before the errors and the resume line: a resume does not fix them.</summary>
    private static void AlwaysErroredNotes(CliContext ctx, GateDecision d)
    {
        if (d.AlwaysErrored is not { } always)
        {
            return;
        }

        ctx.Output.Note("errored on every trial: " + always.Message);
        foreach (var c in always.Cases.Take(AlwaysErrored.MaxShown))
        {
            ctx.Output.Note("  " + c.Line);
        }

        if (always.Cases.Count > AlwaysErrored.MaxShown)
        {
            ctx.Output.Note($"  … and {always.Cases.Count - AlwaysErrored.MaxShown} more (gate --format json lists every one as cases_always_errored)");
        }
    }

    /// <summary>The candidate's latency or cost per call beyond the manifest's rollout tolerance (<see cref="RolloutPreview"/>): notes, never a block.</summary>
    private static void RolloutNotes(CliContext ctx, GateOutcome outcome)
    {
        var report = outcome.Report;
        var baseline = outcome.Summaries.FirstOrDefault(s => s.ReleaseId == report.BaselineId);
        var candidate = outcome.Summaries.FirstOrDefault(s => s.ReleaseId == report.CandidateId);
        if (baseline is null || candidate is null || report.Decision.Result == GateResult.Error || report.BaselineId == report.CandidateId)
        {
            return;
        }

        foreach (var note in RolloutPreview.Notes(baseline, candidate, ctx.Manifest.Rollout))
        {
            ctx.Output.Note("note: " + note);
        }
    }

    /// <summary>
    /// A block with the response cache on that replayed cached answers: the baseline's answers may be one draw from an earlier run, which today's
    /// provider drift did not touch, and this run cached the candidate's, so a re-run with the cache replays both sides;
    /// --no-cache runs both sides fresh and interleaved, which the gate's error bound assumes (eval.md, "interleaving").
    /// </summary>
    private static void CachedBaselineNote(CliContext ctx, GateOutcome outcome)
    {
        // Only when an answer was replayed (or may have been: results of an earlier process, before a resume, do not say):
        // on a fresh store nothing was, and --no-cache would only pay for the same calls again (trial ciflow #6).
        if (outcome.Report.Decision.Result == GateResult.Blocked && outcome.Start.Run.UseCache
            && outcome.Summaries.Any(s => s.CachedAnswers > 0 || s.CacheUnknown > 0))
        {
            ctx.Output.Note("note: this gate reused cached answers where it had them, so the baseline may be one draw from an earlier run that " +
                            "today's provider did not touch; running it again with the cache replays the same answers on both sides and blocks " +
                            "again. To check this block with both sides called fresh and interleaved (what the gate's error bound assumes): " +
                            "glidepath gate --no-cache");
        }
    }

    /// <summary>
    /// Under --format json the document carries <c>rule_change</c>, <c>scorer_change</c>, <c>dataset_change</c>, <c>cannot_block</c> and <c>always_failing</c>; stderr says
    /// them too, where a person reads.
    /// </summary>
    private static void WarningNotes(CliContext ctx, GateReport report)
    {
        foreach (var warning in Warnings(report))
        {
            ctx.Output.Note($"warning: {warning}");
        }
    }

    /// <summary>
    /// What the text output and stderr say loudly: a rule, scorers or dataset changed against the baseline's commit, a pass that could
    /// not have blocked, cases that failed every trial on both sides.
    /// </summary>
    private static IEnumerable<string> Warnings(GateReport report)
    {
        if (report.RuleChange is { } ruleChange)
        {
            yield return ruleChange.Line;
        }

        if (report.ScorerChange is { } scorerChange)
        {
            yield return scorerChange.Line;
        }

        if (report.DatasetChange is { } datasetChange)
        {
            yield return datasetChange.Message;
        }

        if (report.Decision.CannotBlock is { } blind)
        {
            yield return blind.Message;
        }

        if (report.Decision.AlwaysFailing is { } failing)
        {
            yield return failing.Message;
        }
    }

    /// <summary>Why the verdict is an error, with the first errored trial: what the error object's <c>error</c> says.</summary>
    private static string ErrorText(GateDecision d) =>
        $"gate verdict error: {string.Join("; ", d.Reasons)}" +
        (d.AlwaysErrored is { } always ? $"; {always.Message}" : "") +
        (d.Errors.Count > 0 ? $"; first: {d.Errors[0].CaseId} ({d.Errors[0].Side}, {TrialNumber.Text(d.Errors[0].Trial, d.Trials)}): {d.Errors[0].Message}" : "");

    /// <summary>Whether the verdict was stored as evidence for promotion (on stderr, in text and JSON alike).</summary>
    private static void StoredNote(CliContext ctx, GateOutcome outcome)
    {
        var report = outcome.Report;
        var stored = $"verdict stored for {report.CandidateLabel} vs {report.BaselineLabel} (dataset {report.DatasetSha256[..12]}, scorers {report.ScorerVersion[..12]})";
        ctx.Output.Note((report.Partial, outcome.Verdict) switch
        {
            (null, _) => stored,
            (_, not null) => $"{stored}, marked partial ({report.Partial}): a partial gate that does not pass still stops promotion until the whole gate passes",
            _ => $"verdict NOT stored: a passing partial gate ({report.Partial}) is no evidence for promote, rollout start or the checklist; " +
                 "run the gate over every case of eval.dataset with at least eval.trials trials for one that is",
        });
    }

    private static void SideBySide(CliContext ctx, string baseline, string candidate)
    {
        const int width = 58;
        var left = Wrap(baseline, width);
        var right = Wrap(candidate, width);
        ctx.Output.Line($"  {"baseline".PadRight(width)} │ candidate");
        ctx.Output.Line($"  {new string('─', width)}─┼─{new string('─', width)}");
        for (var i = 0; i < Math.Max(left.Count, right.Count) && i < 12; i++)
        {
            ctx.Output.Line($"  {(i < left.Count ? left[i] : "").PadRight(width)} │ {(i < right.Count ? right[i] : "")}");
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        foreach (var para in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in para.Split(' '))
            {
                var w = word.Length > width ? word[..width] : word;
                if (line.Length + w.Length + 1 > width && line.Length > 0)
                {
                    lines.Add(line);
                    line = "";
                }

                line = line.Length == 0 ? w : line + " " + w;
            }

            lines.Add(line);
        }

        return lines;
    }
}
