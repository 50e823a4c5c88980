using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Reports;

namespace Glidepath.Cli.Commands;

/// <summary><c>glidepath gate</c>: candidate vs baseline over the same cases in one run; pass, blocked or error.</summary>
internal static class GateCommand
{
    public static Command Build(CliEnvironment env)
    {
        var candidateArg = new Argument<string?>("CANDIDATE") { Description = "The release to gate (default: working, the working tree, registered as a release)", DefaultValueFactory = _ => null };
        var baselineOpt = new Option<string?>("--baseline") { Description = "The known-good release: env:production, vN, a hash prefix or git:REV (default: eval.gate.baseline)" };
        var reportOpt = new Option<string?>("--report") { Description = "Also write the verdict to this file (checked before the run: exit 2 if it cannot be written; a missing folder is made)" };
        var formatOpt = new Option<string?>("--report-format") { Description = "md (pull-request comment), junit, json or html (default: from the file name: .md or none, .xml or .junit, .json, .html; another ending is exit 2)" };
        formatOpt.AcceptOnlyFromAmong([.. ReportFormat.Names]);
        var planOpt = new Option<bool>("--plan") { Description = "Run nothing: show how many trials a case needs for the gate to see a drop, for this dataset's size and eval.gate.confidence" };
        var fromOpt = new Option<double?>("--from") { Description = "With --plan: the case's pass rate on the baseline, e.g. 0.9" };
        var toOpt = new Option<double?>("--to") { Description = "With --plan: the candidate's pass rate to detect, e.g. 0.6" };
        var options = new EvalOptions();
        var command = new Command("gate", """
            The eval gate: score the candidate AND the baseline over the same frozen cases in the same run,
            interleaved, then decide. The baseline is held or beaten → pass (exit 0); otherwise blocked
            (exit 1), naming each regressed case with both answers side by side. Any provider, scorer or
            judge error is an error (exit 3): never a pass. No case to run (a --tag that selects none) is
            bad input (exit 2): nothing is run or stored. The verdict is stored as
            evidence for promotion; a pass counts only for the whole gate: every case of eval.dataset,
            at least eval.trials trials. With --tag, another --dataset or fewer --trials the verdict is
            marked partial, and a partial pass is not stored (a pass over chosen cases must not let a
            release through); a partial block or error is stored and stops promotion.

            An unchanged candidate is blocked with probability at most 1 - eval.gate.confidence, whatever
            the suite's size and flakiness: half of it for the cases, half for the mean. Per case: with 1
            trial, passed on the baseline and failed on the candidate is a regression; with more trials, a
            one-sided Fisher exact p-value, corrected across all cases (discrete Holm), must be at most
            (1 - confidence) / 2. Overall: blocked when the paired randomization interval of the mean score
            difference lies wholly below -max_mean_drop, or regressions exceed max_case_regressions.
            --plan shows how many trials a case needs to see a given drop.

            Answers cached by an earlier run are reused unless --no-cache: a cached baseline is one draw
            from that run, which today's provider drift does not touch, so the bound above assumes
            --no-cache (both sides called fresh; a block with the cache on says so). Running a gate
            again with the cache replays both sides' cached answers and verdict; --no-cache re-draws
            both and writes its answers over the cached ones.

            Examples:
              glidepath gate
              glidepath gate --baseline v3 --trials 10
              glidepath gate --report gate.md --report-format md
              glidepath gate --plan --from 0.9 --to 0.6
            """)
        {
            candidateArg,
            baselineOpt,
            reportOpt,
            formatOpt,
            planOpt,
            fromOpt,
            toOpt,
        };
        options.AddTo(command);
        command.SetAction(env, async (ctx, parse, ct) =>
        {
            await using var session = await EvalSession.OpenAsync(ctx, options, parse, ct);
            var evals = session.Evals;
            if (parse.GetValue(planOpt))
            {
                var planned = await evals.ScanDatasetAsync(parse.GetValue(options.Dataset), parse.GetValue(options.Tags) ?? [], ct);
                if (planned.CaseCount == 0)
                {
                    // As the gate itself: a plan for no case is a typo in --tag, not a plan.
                    throw new BadInputException($"{planned.DisplayName}: no case to plan for{(planned.Tags.Count > 0 ? $" (none has the tag {string.Join(" or ", planned.Tags)})" : "")}");
                }

                GatePlanOutput.Print(ctx, planned.CaseCount, evals.Config.Gate.Confidence, parse.GetValue(fromOpt), parse.GetValue(toOpt));
                return ExitCodes.Ok;
            }

            // The report's path and format are checked before the run: a typo must not cost a run's model calls.
            var report = parse.GetValue(reportOpt) is { } file ? OutputFile.Check(file, "--report") : null;
            report?.RefuseStdout(ctx.Output.IsJson);
            var format = report is null ? null : ReportFormat.Parse(parse.GetValue(formatOpt) ?? ReportFormat.FromFileName(report.Path));
            var gates = new GateService(evals, session.Store.GateVerdicts, ctx.Time);
            var start = await gates.StartAsync(parse.GetValue(candidateArg), parse.GetValue(baselineOpt), options.Read(parse), ct);
            RunNotes.Warnings(ctx, start.Dataset);
            if (!start.Resumed)
            {
                var same = start.SameContent ? " (same content: the release is compared with itself)" : "";
                ctx.Output.Note($"gate run {start.Run.Id}: candidate {start.Candidate.Label} vs baseline {start.Baseline.Label}{same}, {start.Dataset.CaseCount} cases × {start.Run.Trials} trial(s)");
                if (!string.Equals(start.Candidate.App, start.Baseline.App, StringComparison.Ordinal))
                {
                    // Trial ciflow #9: "v1+8e2d05e1 vs v1+8865eb1d", two releases of different apps both named v1, unremarked.
                    ctx.Output.Note($"note: the candidate is a release of app '{start.Candidate.App}' and the baseline of app '{start.Baseline.App}': this change renames the app (app: in the manifest). " +
                        "Releases are numbered per app, so their names say nothing about each other (compare them by id), and the store's environments, " +
                        $"rollouts, keys and verdicts of '{start.Baseline.App}' do not carry over to '{start.Candidate.App}'");
                }
            }

            if (JudgeNoise.Warning(start.Run.Trials, evals.Scorers.Judges, start.SameContent) is { } judgeNoise)
            {
                // Before the run, on stderr in every format: the judge's calls are the dearer part of a gate (trial gatejudge M5).
                ctx.Output.Note("warning: " + judgeNoise);
            }

            var notes = new RunNotes(ctx, ResumeLine.From("glidepath gate", parse, options), () => evals.Scorers.SpendLimitReached());
            var outcome = await gates.RunAsync(start, notes, ct);
            if (report is not null)
            {
                await report.WriteAsync(ReportFormat.Render(outcome.Report, format!), ct);
                ctx.Output.Note($"report written to {report.Path} ({format})");
            }

            GateOutput.Print(ctx, outcome, notes);
            return OutcomeExitCodes.For(outcome.Result);
        });
        return command;
    }
}
